"""Fixtures of the API's integration tests: the service layer on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.clock import MovableClock
from service.services import Services
from tests.apikit import api_services, deploy_all
from tests.support import Switchboard


@pytest.fixture
def api(db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[Services]:
    """Services with every fixture process deployed, on each database."""
    built = api_services(db_url, tmp_path, clock, board)
    deploy_all(built)
    yield built
    built.close()
