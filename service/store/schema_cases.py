"""The case list's search rows: one per process instance, written in the trigger's transaction.

Searchable values are copied out of the case variables into indexed, lower-cased columns so a
search is a prefix range on an index, never a scan over JSON.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table

from service.store.schema import ID, UtcDateTime, metadata

# Byte order on PostgreSQL (like SQLite's BINARY), so a prefix is a plain range on the index.
SEARCH_TEXT = String(300).with_variant(String(300, collation="C"), "postgresql")

case_index = Table(
    "case_index",
    metadata,
    Column("instance_id", ID, ForeignKey("process_instances.id"), primary_key=True),
    Column("process_key", String(200), nullable=False),
    Column("business_key", String(200)),
    Column("key_search", SEARCH_TEXT),
    Column("applicant", String(300)),
    Column("applicant_search", SEARCH_TEXT),
    Column("importer_search", SEARCH_TEXT),
    # open | error | completed | cancelled (suspended is the instance's flag): the status filter's index
    Column("status", String(20), nullable=False),
    Column("stage", String(300)),
    Column("due_at", UtcDateTime),
    Column("started_at", UtcDateTime, nullable=False),
    Index(None, "started_at"),
    Index(None, "status", "started_at"),
    Index(None, "key_search"),
    Index(None, "applicant_search"),
    Index(None, "importer_search"),
    Index(None, "stage"),
)

# The lanes whose tasks a case has opened: who besides supervisors may find it in the list.
case_lanes = Table(
    "case_lanes",
    metadata,
    Column("instance_id", ID, ForeignKey("process_instances.id"), primary_key=True),
    Column("lane", String(100), primary_key=True),
    Index(None, "lane", "instance_id"),
)
