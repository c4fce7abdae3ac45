"""What a page request may carry: checked before any page reads the store.

The rules are ``service.limits``' (the API's too); here they meet the pages' addresses, queries
and forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from service import limits
from service.errors import FieldError, InvalidData, NotFound


def check_characters(*sources: Iterable[tuple[str, str]]) -> None:
    """Refuse posted or queried text holding a control character (422 naming each input)."""
    errors = [
        FieldError(limits.scrubbed(name), limits.CONTROL_MESSAGE)
        for source in sources
        for name, value in source
        if limits.control_character(name) or limits.control_character(value)
    ]
    if errors:
        raise InvalidData("the request holds characters no input may contain", errors)


def check_address(parts: Mapping[str, Any]) -> None:
    """Refuse a page address whose parts hold a control character: it names nothing (404)."""
    if any(isinstance(v, str) and limits.control_character(v) for v in parts.values()):
        raise NotFound("there is no page at this address")
