"""One envelope for every list answer: ``{"items": [...], "next": <cursor or null>}``.

Lists that grow page by an opaque cursor: pass the answer's ``next`` as ``cursor`` to read on.
Offset cursors (tasks, history, incidents, deliveries) are a position in the list as it is read;
every string the ``cursor`` pattern admits is a position, so a well-formed cursor is never refused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from service.api import schemas as S
from service.api.reading import Param

MAX_PAGE = 500
CURSOR = Param(
    {"type": "string", "pattern": r"^[0-9]{1,6}$"},
    "the `next` of the previous page (opaque); omit it for the first page",
)


def size(default: int = 50, maximum: int = MAX_PAGE) -> Param:
    """Return the page-size parameter (1 to ``maximum``)."""
    return Param({"type": "integer", "minimum": 1, "maximum": maximum}, f"page size (default {default})")


def envelope(item: S.Schema, pages: bool = True) -> S.Schema:
    """Return the schema of a list answer whose items are ``item``."""
    text = "pass as `cursor` for the next page; null at the end" if pages else "always null: one page"
    return S.obj(
        ["items", "next"],
        items={"type": "array", "items": item},
        next={**S.nullable(S.STRING), "description": text},
    )


def first_item(operation_id: str, field: str = "id") -> dict[str, Any]:
    """Link a page to the operation that reads its first item (named by the item's ``field``)."""
    return {"operationId": operation_id, "parameters": {"path.id": f"$response.body#/items/0/{field}"}}


def whole(items: Sequence[Any]) -> dict[str, Any]:
    """Answer a short list that is always one page."""
    return {"items": list(items), "next": None}


def offset_page(fetch: Callable[[int, int], Sequence[Any]], cursor: str | None, limit: int) -> dict[str, Any]:
    """Answer one page: ``fetch(offset, count)`` returns up to ``count`` items from ``offset``."""
    start = int(cursor) if cursor else 0
    found = list(fetch(start, limit + 1))
    more = len(found) > limit
    return {"items": found[:limit], "next": str(start + limit) if more else None}


def sliced(items: Sequence[Any]) -> Callable[[int, int], Sequence[Any]]:
    """Return a ``fetch`` over a list already read."""
    return lambda offset, count: items[offset : offset + count]
