"""Migration 0015 fills the case list's search rows of cases stored before it, open and closed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from service.store.db import make_engine
from service.store.migrate import upgrade

DEFINITION = (
    "INSERT INTO process_definitions (id, key, version, content_hash, source_name, bpmn_xml, forms,"
    " called_keys, start_messages, deployed_at) VALUES (1, 'application_review', 1, 'h', 's.bpmn', '<x/>',"
    " '{}', '[]', '[]', '2026-01-05 09:00:00')"
)
INSTANCE = (
    "INSERT INTO process_instances (id, definition_id, process_key, called_definitions, business_key,"
    " status, suspended, has_incident, state, serializer_version, version, variables, waits,"
    " created_at, updated_at) VALUES (:id, 1, 'application_review', '{}', :key, :status, false, false,"
    " '{}', '1', 1, :variables, '{}', '2026-01-05 09:00:00', '2026-01-05 09:00:00')"
)
TASK = (
    "INSERT INTO human_tasks (id, instance_id, name, title, lane, process_key, business_key, created_at,"
    " due_at) VALUES ('t1', 'open', 'review', 'Review the application', 'reviewers', 'application_review',"
    " 'AZ-1', '2026-01-05 09:00:00', '2026-01-20 23:59:59')"
)
APPLICANT = '{"applicant": {"name": "Harbor Freight Importers", "importer_number": "12-3456789-00"}}'


def test_cases_stored_before_the_migration_are_found_by_applicant_and_importer_number(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0013")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(DEFINITION))
        conn.execute(
            text(INSTANCE), {"id": "open", "key": "AZ-1", "status": "waiting", "variables": APPLICANT}
        )
        conn.execute(text(INSTANCE), {"id": "done", "key": "AZ-2", "status": "cancelled", "variables": "{}"})
        conn.execute(text(TASK))
    upgrade(url)

    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT instance_id, key_search, applicant, applicant_search, importer_search, status, stage"
                " FROM case_index ORDER BY instance_id"
            )
        ).all()
        lanes = conn.execute(text("SELECT instance_id, lane FROM case_lanes")).all()
        kinds = conn.execute(text("SELECT DISTINCT kind FROM saved_filters")).all()
    engine.dispose()

    assert [tuple(r) for r in rows] == [
        ("done", "az-2", None, None, None, "cancelled", None),
        (
            "open",
            "az-1",
            "Harbor Freight Importers",
            "harbor freight importers",
            "12-3456789-00",
            "open",
            "Review the application",
        ),
    ]
    assert [tuple(r) for r in lanes] == [("open", "reviewers")]
    assert kinds == []
