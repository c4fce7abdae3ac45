"""Fixtures of the API's end-to-end tests: a deployed service with cases, and its Flask app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from service.clock import MovableClock
from service.services import Services
from tests.apikit import api_services, app_for, deploy_all
from tests.support import Switchboard


@pytest.fixture
def api(sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[Services]:
    """Services on SQLite with every fixture process deployed."""
    built = api_services(sqlite_url, tmp_path, clock, board)
    deploy_all(built)
    yield built
    built.close()


@pytest.fixture
def app(api: Services) -> Flask:
    return app_for(api)
