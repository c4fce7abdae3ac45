"""A stale submit says what happened to the task, by whom and when, in the offices' zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from service.views.task_changes import Change
from service.web.phrases import changed

AT = datetime(2026, 12, 21, 4, 30, tzinfo=UTC)  # 11:30 PM on December 20 in New York


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (Change("complete", "sam", AT, None), "sam completed this task on Dec 20, 2026, 11:30 PM EST."),
        (Change("claim", "rob", AT, "rob"), "rob claimed this task on Dec 20, 2026, 11:30 PM EST."),
        (
            Change("reassign", "sam", AT, "rob"),
            "sam reassigned this task to rob on Dec 20, 2026, 11:30 PM EST.",
        ),
        (
            Change("reassign", "sam", AT, None),
            "sam put this task back in its group queue on Dec 20, 2026, 11:30 PM EST.",
        ),
        (
            Change("unclaim", "rob", AT, None),
            "rob put this task back in its group queue on Dec 20, 2026, 11:30 PM EST.",
        ),
        (None, "The task or its case changed while you had the form open."),
    ],
)
def test_the_change_is_said_with_who_and_when(change: Change | None, said: str) -> None:
    assert changed(change, ZoneInfo("America/New_York")) == said
