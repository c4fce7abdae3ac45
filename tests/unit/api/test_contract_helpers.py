"""Small parts of the API contract: query coercion, field paths, cursors, budgets, correlation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.api import schemas as S
from service.api.ratelimit import MemoryLimiter, gcra, retry_after_seconds
from service.api.validation import check, coerce, parse_datetime
from service.errors import InvalidData
from service.views.search import decode_cursor, encode_cursor

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_query_strings_become_the_declared_types() -> None:
    assert coerce(["42"], {"type": "integer"}) == 42
    assert coerce(["true"], {"type": "boolean"}) is True
    assert coerce(["a", "b"], {"type": "array", "items": {"type": "string"}}) == ["a", "b"]
    assert coerce(["2026-01-05T09:00:00Z"], {"type": "string", "format": "date-time"}) == T0


@pytest.mark.parametrize(
    ("raw", "schema", "message"),
    [
        (["4x"], {"type": "integer"}, "must be an integer"),
        (["1"], {"type": "boolean"}, "must be true or false"),
        (["1", "2"], {"type": "integer"}, "is given more than once"),
        (["2026-01-05"], {"type": "string", "format": "date-time"}, "must be a date-time with a zone"),
    ],
)
def test_a_query_string_of_the_wrong_type_is_named(raw: list[str], schema: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        coerce(raw, schema)


def test_rfc3339_variants_are_read_in_utc() -> None:
    assert parse_datetime("2026-01-05t10:00:00+01:00") == T0
    assert parse_datetime("2026-01-05T09:00:00.123456789z") == T0 + timedelta(microseconds=123456)


def test_a_valid_moment_outside_the_years_utc_can_hold_is_read_as_the_nearest_one() -> None:
    # Schema-valid date-times must never be refused (the contract test found this one).
    assert parse_datetime("0001-01-01T00:00:00+00:01") == datetime.min.replace(tzinfo=UTC)
    assert parse_datetime("0001-01-01T01:07:49+20:30") == datetime.min.replace(tzinfo=UTC)
    assert parse_datetime("9999-12-31T23:59:59-05:00") == datetime.max.replace(tzinfo=UTC)


def test_failing_fields_are_named_by_their_path() -> None:
    errors = check({"variables": {"1x": 1}, "extra": True}, S.ref("StartRequest"))
    assert sorted(e.field for e in errors) == ["extra", "variables.1x"]
    missing = check({}, S.ref("MessageRequest"))
    assert [(e.field, e.message) for e in missing] == [
        ("messageName", "'messageName' is a required property")
    ]


def test_a_cursor_survives_the_round_trip_and_garbage_is_refused() -> None:
    instance_id = "0b7c1e9a-4f2d-4a8e-9c61-2f0d3b5a7e10"
    assert decode_cursor(encode_cursor(T0, instance_id)) == (T0, instance_id)
    # A position is a start time and an id; anything else was not handed out by the service.
    for junk in ("", "!!!", "eyJ4IjoxfQ", "123", "_" + instance_id, encode_cursor(T0, "ABC")):
        with pytest.raises(InvalidData):
            decode_cursor(junk)


def test_a_budget_allows_a_burst_then_one_request_per_interval() -> None:
    limiter = MemoryLimiter(3, timedelta(minutes=1))
    assert [limiter.take("t", T0) for _ in range(3)] == [None, None, None]
    assert limiter.take("t", T0) == timedelta(seconds=20)
    assert limiter.take("t", T0 + timedelta(seconds=19)) == timedelta(seconds=1)
    assert limiter.take("t", T0 + timedelta(seconds=20)) is None
    assert gcra(None, T0, 1, timedelta(seconds=10)) == (T0 + timedelta(seconds=10), timedelta(0))
    assert retry_after_seconds(timedelta(milliseconds=1)) == 1
