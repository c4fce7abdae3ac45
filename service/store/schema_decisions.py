"""Tables of DMN decisions: deployed decision versions, the versions a process pins, each decision taken."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from service.store.schema import ID, UtcDateTime, metadata

# One row per (decision id, version), stored once per content like process definitions.
decision_definitions = Table(
    "decision_definitions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", String(300)),
    Column("content_hash", String(64), nullable=False),
    Column("source_name", String(300), nullable=False),
    Column("dmn_xml", Text, nullable=False),
    Column("deployed_at", UtcDateTime, nullable=False),
    Column("deployed_by", String(200), nullable=False),
    Column("note", Text),
    UniqueConstraint("key", "version"),
)

# The decision versions a process definition version was deployed with: its cases evaluate
# those tables for good, while a later deployment's new version serves new cases.
definition_decisions = Table(
    "definition_decisions",
    metadata,
    Column("definition_id", Integer, ForeignKey("process_definitions.id"), primary_key=True),
    Column("decision_key", String(200), primary_key=True),
    Column("decision_definition_id", Integer, ForeignKey("decision_definitions.id"), nullable=False),
)

# One row per decision a business rule task took, written in the trigger's transaction.
decision_evaluations = Table(
    "decision_evaluations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance_id", ID, ForeignKey("process_instances.id"), nullable=False, index=True),
    Column("process_key", String(200), nullable=False),
    Column("task_name", String(200), nullable=False),
    Column("decision_key", String(200), nullable=False),
    Column("decision_version", Integer),
    Column("inputs", JSON, nullable=False),
    Column("rule_id", String(200)),
    Column("rule_index", Integer),
    Column("annotation", Text),
    Column("outputs", JSON, nullable=False),
    Column("evaluated_at", UtcDateTime, nullable=False),
)
