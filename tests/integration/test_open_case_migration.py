"""Migration 0010 adds one open case per business key, and names existing twins instead of guessing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from service.store.db import make_engine
from service.store.migrate import upgrade

DEFINITION = (
    "INSERT INTO process_definitions (id, key, version, content_hash, source_name, bpmn_xml, forms,"
    " called_keys, start_messages, deployed_at) VALUES (1, 'smoke', 1, 'h', 's.bpmn', '<x/>', '{}',"
    " '[]', '[]', '2026-01-05 09:00:00')"
)
INSTANCE = (
    "INSERT INTO process_instances (id, definition_id, process_key, called_definitions, business_key,"
    " status, suspended, has_incident, state, serializer_version, version, variables, waits,"
    " created_at, updated_at) VALUES (:id, 1, 'smoke', '{}', 'APP-1', :status, false, false, '{}',"
    " '1', 1, '{}', '{}', '2026-01-05 09:00:00', '2026-01-05 09:00:00')"
)


def _run(url: str, *statements: tuple[str, dict[str, str]]) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for sql, values in statements:
                conn.execute(text(sql), values)
    finally:
        engine.dispose()


def test_twins_open_before_the_migration_are_named_and_the_index_follows_once_one_is_closed(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0009")
    _run(
        url,
        (DEFINITION, {}),
        (INSTANCE, {"id": "a", "status": "waiting"}),
        (INSTANCE, {"id": "b", "status": "error"}),
    )

    with pytest.raises(RuntimeError, match=r"smoke 'APP-1' \(2 open\)"):
        upgrade(url, "0010")
    _run(url, ("UPDATE process_instances SET status = 'cancelled' WHERE id = 'b'", {}))
    upgrade(url, "0010")

    with pytest.raises(IntegrityError):
        _run(url, (INSTANCE, {"id": "c", "status": "waiting"}))
    _run(url, (INSTANCE, {"id": "d", "status": "completed"}))  # a closed case may share the key
