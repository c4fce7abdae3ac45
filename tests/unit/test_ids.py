"""Identifiers: what one looks like, and how an overlong one is kept (service.ids)."""

from __future__ import annotations

from service import ids


def test_a_new_id_is_an_id_and_other_text_is_not() -> None:
    made = ids.new_id()

    assert ids.is_id(made)
    assert len(made) == ids.ID_LENGTH
    assert not ids.is_id(made.upper())
    assert not ids.is_id(made + "0")
    assert not ids.is_id("task-1")


def test_an_overlong_id_is_cut_to_the_column_with_a_marker() -> None:
    assert ids.fitted(None) is None
    assert ids.fitted("short") == "short"
    cut = ids.fitted("x" * 300)
    assert cut is not None and len(cut) == ids.ID_LENGTH and cut.endswith("…")
