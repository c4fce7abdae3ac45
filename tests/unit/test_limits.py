"""The limits on what the service accepts: JSON depth and control characters (service.limits)."""

from __future__ import annotations

import json

import pytest

from service import limits
from service.errors import FieldError


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_is_read_up_to_64_levels_and_refused_past_them() -> None:
    assert limits.loads(_nested(64)) is not None
    with pytest.raises(limits.TooDeep, match="nested deeper than 64 levels"):
        limits.loads(_nested(65))


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_deeper_than_the_interpreter_can_parse_is_refused_the_same_way(depth: int) -> None:
    with pytest.raises(limits.TooDeep):
        limits.loads(_nested(depth))


def test_malformed_json_is_a_value_error_not_too_deep() -> None:
    with pytest.raises(ValueError) as raised:
        limits.loads('{"a": ')
    assert not isinstance(raised.value, limits.TooDeep)


def test_every_string_with_a_control_character_is_named_by_its_path() -> None:
    document = json.loads(
        '{"a": "ok\\ttab\\r\\n", "b": ["x", "y\\u0000"], "c": {"d\\u0007": 1, "e": "\\u001f"}}'
    )

    assert limits.flaws(document) == [
        FieldError("b.1", limits.CONTROL_MESSAGE),
        FieldError("c.d\ufffd", "the name " + limits.CONTROL_MESSAGE),
        FieldError("c.e", limits.CONTROL_MESSAGE),
    ]


def test_scrubbed_text_keeps_tabs_and_new_lines() -> None:
    assert limits.scrubbed("a\x00b\tc\r\nd\x1b") == "a\ufffdb\tc\r\nd\ufffd"
