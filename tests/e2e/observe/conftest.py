"""Fixtures of the observability tests: the API's services on SQLite, and a metrics reader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from service.clock import MovableClock
from service.services import Services
from tests.apikit import api_services, app_for, deploy_all
from tests.support import Switchboard

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


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


def samples(text: str) -> Samples:
    """Parse a Prometheus exposition into {(sample name, labels): value}."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(found: Samples, name: str, **labels: Any) -> float | None:
    """Return one sample's value (None when the exposition lacks it)."""
    return found.get((name, frozenset((k, str(v)) for k, v in labels.items())))
