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


def check_request(view_args: Mapping[str, Any] | None, *sources: Iterable[tuple[str, str]]) -> None:
    """Check a page request's address, then its query and form (the pages' one door)."""
    check_address(view_args or {})
    check_characters(*sources)


def json_object(raw: bytes) -> dict[str, Any]:
    """Return a JSON object body, refused (422 naming the field) when broken, deep or not plain."""
    try:
        body = limits.loads(raw)
    except ValueError as exc:  # TooDeep is one: both are answered alike, as the field's fault
        message = str(exc) if isinstance(exc, limits.TooDeep) else "not JSON"
        raise InvalidData("the request body is not a JSON object", [FieldError("(body)", message)]) from None
    if not isinstance(body, dict):
        expected = [FieldError("(body)", "expected an object")]
        raise InvalidData("the request body must be a JSON object", expected)
    errors = limits.flaws(body)
    if errors:
        raise InvalidData("the request body holds characters no field may contain", errors)
    return body
