"""Tables of the web modeler: analysts' diagram drafts and the record of migrated cases."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from service.store.schema import ID, UtcDateTime, metadata

# A draft belongs to one analyst and is never deployed as such: deploying reads its XML into a
# new definition version and leaves the draft alone.
diagram_drafts = Table(
    "diagram_drafts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("owner", String(100), nullable=False),
    Column("title", String(300), nullable=False),
    Column("process_key", String(200)),
    Column("base_definition_id", Integer, ForeignKey("process_definitions.id")),
    Column("bpmn_xml", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index(None, "owner", "updated_at"),
)

# One row per case moved from one definition version to another (the audit log has the entry too).
case_migrations = Table(
    "case_migrations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance_id", ID, ForeignKey("process_instances.id"), nullable=False, index=True),
    Column("process_key", String(200), nullable=False),
    Column("from_definition_id", Integer, ForeignKey("process_definitions.id"), nullable=False),
    Column("to_definition_id", Integer, ForeignKey("process_definitions.id"), nullable=False, index=True),
    Column("from_version", Integer, nullable=False),
    Column("to_version", Integer, nullable=False),
    Column("instance_version", Integer, nullable=False),
    Column("migrated_at", UtcDateTime, nullable=False),
    Column("migrated_by", String(200), nullable=False),
)
