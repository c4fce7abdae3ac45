"""Rows the store tests write straight into tables (bypassing deployment)."""

from __future__ import annotations

from datetime import UTC, datetime

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def definition_row(id_: int, key: str) -> dict[str, object]:
    """Return a minimal process_definitions row with this id and key."""
    return {
        "id": id_,
        "key": key,
        "version": 1,
        "content_hash": "h",
        "source_name": f"{key}.bpmn",
        "bpmn_xml": "<x/>",
        "forms": {},
        "called_keys": [],
        "start_messages": [],
        "deployed_at": AT,
    }
