"""The staff case list: a search row per case and the lanes each case has opened tasks in

Applicant name, importer number and case number are copied out of the case variables into
lower-cased, indexed columns (byte order on PostgreSQL), so a search is a prefix range on an
index, never a scan over JSON. Existing cases are filled in from their variables and open tasks.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-06 03:45:00.000000
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

ID = sa.String(36)
APPLICANT_PATHS = (
    ("applicant_name",),
    ("applicantName",),
    ("applicant", "name"),
    ("recordkeeper", "name"),
    ("auditee", "name"),
    ("recordkeeper_name",),
    ("importer_name",),
    ("applicant",),
)
IMPORTER_PATHS = (("importer_number",), ("applicant", "importer_number"), ("recordkeeper", "importer_number"))
BATCH = 1000


def _search_text() -> sa.types.TypeEngine[Any]:
    return sa.String(300).with_variant(sa.String(300, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "case_index",
        sa.Column("instance_id", ID, nullable=False),
        sa.Column("process_key", sa.String(200), nullable=False),
        sa.Column("business_key", sa.String(200)),
        sa.Column("key_search", _search_text()),
        sa.Column("applicant", sa.String(300)),
        sa.Column("applicant_search", _search_text()),
        sa.Column("importer_search", _search_text()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("stage", sa.String(300)),
        sa.Column("due_at", sa.DateTime(timezone=True)),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("instance_id", name="pk_case_index"),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instances.id"], name="fk_case_index_instance_id_process_instances"
        ),
    )
    for column in ("started_at", "key_search", "applicant_search", "importer_search", "stage"):
        op.create_index(f"ix_case_index_{column}", "case_index", [column])
    op.create_index("ix_case_index_status_started_at", "case_index", ["status", "started_at"])
    op.create_table(
        "case_lanes",
        sa.Column("instance_id", ID, nullable=False),
        sa.Column("lane", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("instance_id", "lane", name="pk_case_lanes"),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instances.id"], name="fk_case_lanes_instance_id_process_instances"
        ),
    )
    op.create_index("ix_case_lanes_lane_instance_id", "case_lanes", ["lane", "instance_id"])
    # Saved filters name the list they filter: the task lists' (all saved so far) or the case list's.
    op.add_column("saved_filters", sa.Column("kind", sa.String(20), nullable=False, server_default="tasks"))
    _backfill()


def _first(variables: Any, paths: tuple[tuple[str, ...], ...]) -> str | None:
    for path in paths:
        value = variables
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()[:300]
    return None


def _lower(text: str | None) -> str | None:
    return " ".join(text.split()).lower()[:300] or None if text else None


def _backfill() -> None:
    bind = op.get_bind()
    pi = sa.table(
        "process_instances",
        *(sa.column(n) for n in ("id", "process_key", "business_key", "status", "created_at")),
        sa.column("variables", sa.JSON),
    )
    ht = sa.table("human_tasks", *(sa.column(n) for n in ("instance_id", "name", "title", "lane", "due_at")))
    ci = sa.table("case_index", *(sa.column(c.name) for c in _index_columns()))
    cl = sa.table("case_lanes", sa.column("instance_id"), sa.column("lane"))
    last = ""
    while True:
        rows = bind.execute(sa.select(pi).where(pi.c.id > last).order_by(pi.c.id).limit(BATCH)).all()
        if not rows:
            return
        last = rows[-1].id
        tasks: dict[str, list[Any]] = {}
        for t in bind.execute(sa.select(ht).where(ht.c.instance_id.in_([r.id for r in rows]))):
            tasks.setdefault(t.instance_id, []).append(t)
        bind.execute(sa.insert(ci), [_row(r, tasks.get(r.id, [])) for r in rows])
        lanes = {(i, t.lane) for i, ts in tasks.items() for t in ts if t.lane}
        if lanes:
            bind.execute(sa.insert(cl), [{"instance_id": i, "lane": lane} for i, lane in sorted(lanes)])


def _index_columns() -> list[sa.Column[Any]]:
    names = ("instance_id", "process_key", "business_key", "key_search", "applicant", "applicant_search")
    return [sa.Column(n) for n in (*names, "importer_search", "status", "stage", "due_at", "started_at")]


def _row(r: Any, tasks: list[Any]) -> dict[str, Any]:
    applicant = _first(r.variables, APPLICANT_PATHS)
    dated = sorted((t for t in tasks if t.due_at is not None), key=lambda t: t.due_at)
    return {
        "instance_id": r.id,
        "process_key": r.process_key,
        "business_key": r.business_key,
        "key_search": _lower(r.business_key),
        "applicant": applicant,
        "applicant_search": _lower(applicant),
        "importer_search": _lower(_first(r.variables, IMPORTER_PATHS)),
        "status": r.status if r.status in ("completed", "cancelled", "error") else "open",
        "stage": (tasks[0].title or tasks[0].name) if tasks else None,
        "due_at": dated[0].due_at if dated else None,
        "started_at": r.created_at,
    }


def downgrade() -> None:
    with op.batch_alter_table("saved_filters") as batch:
        batch.drop_column("kind")
    op.drop_table("case_lanes")
    op.drop_table("case_index")
