"""What the service accepts from outside: one home for each size, depth and character rule.

The API's request reading and the staff pages' form and query reading both check input here
before any store access, so a value the database cannot hold (a NUL byte in PostgreSQL text) or
a document that would exhaust the interpreter (JSON nested thousands deep) is refused with a
field name instead of failing deep inside a transaction.
"""

from __future__ import annotations

import json
import re
from typing import Any

from service.errors import FieldError

MAX_BODY_BYTES = 4 * 1024 * 1024  # a request body (Flask's MAX_CONTENT_LENGTH)
MAX_JSON_DEPTH = 64  # objects and arrays nested in one document, the document itself included

# C0 control characters other than tab, line feed and carriage return (forms send CR LF): NUL
# cannot be stored in PostgreSQL text, and none of them belongs in a name, key or sentence.
CONTROL_RANGES = r"\x00-\x08\x0b\x0c\x0e-\x1f"  # as a regular-expression class (OpenAPI patterns)
_CONTROL = re.compile(f"[{CONTROL_RANGES}]")
CONTROL_MESSAGE = "must not contain control characters (such as NUL)"


def control_character(text: str) -> bool:
    """Return whether ``text`` holds a control character the service refuses."""
    return _CONTROL.search(text) is not None


def scrubbed(text: str) -> str:
    """Return ``text`` with each refused control character replaced by U+FFFD (for logs, audit)."""
    return _CONTROL.sub("\ufffd", text)


class TooDeep(ValueError):
    """A JSON document nests deeper than ``MAX_JSON_DEPTH``."""


def loads(raw: bytes | str) -> Any:
    """Parse JSON, refusing documents nested past ``MAX_JSON_DEPTH`` (ValueError when malformed)."""
    try:
        document = json.loads(raw)
    except RecursionError:
        raise TooDeep(depth_message()) from None
    if _depth(document) > MAX_JSON_DEPTH:
        raise TooDeep(depth_message())
    return document


def depth_message() -> str:
    """Return the sentence a refused deep document gets."""
    return f"nested deeper than {MAX_JSON_DEPTH} levels"


def _depth(document: Any) -> int:
    deepest, stack = 0, [(document, 1)]
    while stack:  # a loop, not recursion: the check must not fail the way it guards against
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                return level
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, level + 1) for child in children)
    return deepest


def flaws(document: Any, field: str = "") -> list[FieldError]:
    """Return each string (key or value) of ``document`` holding a refused control character."""
    found: list[FieldError] = []
    stack: list[tuple[Any, str]] = [(document, field)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if control_character(value):
                found.append(FieldError(where or "(body)", CONTROL_MESSAGE))
        elif isinstance(value, dict):
            for key, child in value.items():
                name = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and control_character(key):
                    found.append(FieldError(scrubbed(name), "the name " + CONTROL_MESSAGE))
                stack.append((child, name))
        elif isinstance(value, list):
            stack.extend((child, f"{where}.{i}" if where else str(i)) for i, child in enumerate(value))
    return sorted(found, key=lambda e: e.field)
