"""The document's text rule says exactly what the service refuses in request strings."""

from __future__ import annotations

import re

from service import limits
from service.api import plaintext
from service.api import schemas as S


def test_the_documented_pattern_refuses_exactly_the_characters_the_service_refuses() -> None:
    allowed = re.compile(plaintext.TEXT_PATTERN)

    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are not characters a request can carry
        ch = chr(code)
        assert (allowed.match(ch) is None) == limits.control_character(ch), hex(code)


def test_free_values_strings_and_names_in_a_request_schema_carry_the_rule() -> None:
    schema = {
        "type": "object",
        "properties": {"note": {"type": "string"}, "data": {}, "when": {"type": "string", "format": "date"}},
        "propertyNames": {"maxLength": 9},
    }

    stated = plaintext.request_schema(schema)

    assert stated["properties"]["note"]["pattern"] == plaintext.TEXT_PATTERN
    assert stated["properties"]["data"] == plaintext.PLAIN_REF
    assert "pattern" not in stated["properties"]["when"]  # a format already excludes them
    assert stated["propertyNames"] == {"maxLength": 9, "pattern": plaintext.TEXT_PATTERN}
    assert stated["additionalProperties"] == plaintext.PLAIN_REF


def test_the_reason_schema_admits_exactly_the_reasons_the_service_records() -> None:
    pattern = re.compile(S.COMPONENTS["ReasonRequest"]["properties"]["reason"]["pattern"])
    samples = ["", " ", "\t\n\r", "\u00a0\u2003", "\x85", "a", " why ", "\ufeff", "x\ty", "\x1f", "a\x00"]

    for text in samples:
        recorded = bool(text.strip()) and not limits.control_character(text)
        assert (pattern.search(text) is not None) == recorded, repr(text)
