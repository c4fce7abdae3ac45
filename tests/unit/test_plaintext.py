"""The document's text rule says exactly what the service refuses in request strings."""

from __future__ import annotations

import re

from service import limits
from service.api import plaintext


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
