"""Process orchestration for the Recordkeeping Compliance Program (19 CFR 163.11-163.13)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from service.config import Settings
    from service.services import Services


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the Flask app (``service.app``); importing the package loads nothing else."""
    from service.app import build

    return build(settings, services)
