"""Timer expressions are checked at deploy: quoted, ISO 8601, zone-aware."""

from __future__ import annotations

import pytest

from service.engine.inspect import timer_problem


@pytest.mark.parametrize(
    "expression",
    [
        '"P15D"',
        '"P30D"',
        '"PT2H"',
        '"R3/P1D"',
        '"2026-02-01T00:00:00Z"',
        "end_of_day(add_days(received_on, 15))",
    ],
)
def test_good_timer_expressions_pass(expression: str) -> None:
    assert timer_problem(expression) is None


@pytest.mark.parametrize(
    ("expression", "says"),
    [
        ("P15D", "must be quoted"),
        ("2026-02-01T00:00:00Z", "must be quoted"),
        ('"fifteen days"', "not an ISO 8601"),
        ('"2026-02-01T00:00:00"', "no time zone"),
        ("15", "ISO 8601 string"),
        ("add_days(", "not valid Python"),
    ],
)
def test_bad_timer_expressions_are_explained(expression: str, says: str) -> None:
    problem = timer_problem(expression)

    assert problem is not None and says in problem
