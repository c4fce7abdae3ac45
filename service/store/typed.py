"""Result rows as the row types of ``service.store.rows``: one way for every repository."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy import Row

T = TypeVar("T")
AnyRow = Row[*tuple[Any, ...]]  # a result row of any columns

# ``kind`` is a row type: called with the columns, a TypedDict gives a plain dict of them. mypy
# refuses ``SomeTypedDict(**mapping)``; through ``Callable`` the query's columns are taken at their
# word, so each row type must name exactly the columns its query selects.


def typed(kind: Callable[..., T], values: Mapping[Any, Any]) -> T:
    """Return ``values`` (keyed by column name) as a ``kind`` row."""
    return kind(**values)


def typed_row(kind: Callable[..., T], row: AnyRow | None) -> T | None:
    """Return a result row as a ``kind`` row, or None when there is none."""
    return kind(**row._mapping) if row is not None else None


def typed_rows(kind: Callable[..., T], rows: Iterable[AnyRow]) -> list[T]:
    """Return result rows as ``kind`` rows, in order."""
    return [kind(**r._mapping) for r in rows]
