"""The Alembic migrations build exactly the schema the table declarations describe."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Index, text

from service.store import schema, schema_inbox
from service.store.db import make_engine
from service.store.tables import metadata


def _index_name(change: Any) -> str | None:
    return change[1].name if isinstance(change, tuple) and isinstance(change[1], Index) else None


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_the_migrated_database_matches_the_table_declarations(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            changes = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    per_dialect = {*schema.PER_DIALECT_INDEXES, *schema_inbox.PER_DIALECT_INDEXES}
    drift = [c for c in changes if _index_name(c) not in per_dialect]
    assert drift == []


def test_the_task_lists_by_lane_and_by_assignee_read_an_index_not_the_whole_table(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            plans = {
                column: " | ".join(
                    str(r[3])
                    for r in conn.execute(
                        text(f"EXPLAIN QUERY PLAN SELECT * FROM human_tasks WHERE {column} = :v"),
                        {"v": "x"},
                    )
                )
                for column in ("lane", "assignee")
            }
    finally:
        engine.dispose()
    assert "USING INDEX ix_human_tasks_lane_assignee_due_at" in plans["lane"]
    assert "USING INDEX ix_human_tasks_assignee_due" in plans["assignee"]
