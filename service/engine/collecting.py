"""The builtins that collect values (``list``, ``dict``, ``sorted`` ...), held to the size limits.

A generator can feed ``tuple(...)`` a billion items in one call; a comprehension is such a call
once compiled (``compiling`` rewrites ``[x for ...]`` to ``list(x for ...)``). Each collecting
builtin diagram code sees counts the items it takes, one by one, and refuses past the limit
before they pile up; what it keeps is charged to the step's budget.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

from service.engine.measure import MAX_ITEMS, allow, size

SIZED = (str, bytes, list, tuple, dict, set, frozenset, range)  # what len() answers at once
_SEQUENCES = (str, bytes, list, tuple)


def counted(values: Iterable[Any]) -> Iterable[Any]:
    """Return ``values``, refusing (item by item, before they pile up) more than ``MAX_ITEMS``."""
    if isinstance(values, SIZED):
        allow(len(values))
        return values
    return _count(iter(values))


def _count(values: Iterable[Any]) -> Iterable[Any]:
    count = 0
    for count, value in enumerate(values, 1):
        if count > MAX_ITEMS:
            allow(count)  # refuses
        yield value
    allow(count)


def spread(values: Iterable[Any]) -> Iterable[Any]:
    """Return the values of ``*values`` in a display (``[*rows, *rows]``), counted."""
    return counted(values)


class GuardedType:
    """A builtin type (``str``, ``list``, ``dict`` ...) whose calls are held to the size limits.

    ``isinstance(x, str)`` and ``str.upper`` still work: the checks and attributes are the type's.
    """

    def __init__(self, kind: type) -> None:
        self._kind = kind  # private: diagram code cannot name ``_`` attributes, so never the raw type

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._kind is str:
            value = args[0] if args else kwargs.get("object", "")
            if not isinstance(value, str | int | float | bool):
                allow(size(value, text=True), "characters")
            return str(*args, **kwargs)
        if args:
            args = (counted(args[0]), *args[1:])
        return self._kind(*args, **kwargs)

    def __instancecheck__(self, value: Any) -> bool:
        return isinstance(value, self._kind)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # never the type's own dunders (and no recursion while copying)
            raise AttributeError(name)
        return getattr(self._kind, name)

    def __repr__(self) -> str:
        return repr(self._kind)


def guarded_sorted(values: Iterable[Any], **kwargs: Any) -> list[Any]:
    """Return ``sorted(values, ...)`` unless it would hold more than ``MAX_ITEMS`` items."""
    return sorted(counted(values), **kwargs)


def guarded_range(*args: Any) -> range:
    """Return ``range(*args)`` unless it is too long (``sum(range(10**15))`` never ends)."""
    made = range(*args)
    try:
        count = len(made)
    except OverflowError:  # longer than sys.maxsize
        count = MAX_ITEMS + 1
    if count > MAX_ITEMS:
        allow(count)  # refuses; a range within the limit builds nothing until it is used
    return made


def guarded_sum(values: Iterable[Any], start: Any = 0) -> Any:
    """Return ``sum(values, start)`` unless it would join sequences into one too long."""
    if isinstance(start, _SEQUENCES):
        values = list(counted(values))
        allow(size(start) + sum(size(v) for v in values))
    return builtins.sum(values, start)


# The builtins diagram code gets in place of the real ones.
BUILTINS: dict[str, Any] = {
    "range": guarded_range,
    "sum": guarded_sum,
    "sorted": guarded_sorted,
    **{kind.__name__: GuardedType(kind) for kind in (str, list, tuple, set, frozenset, dict)},
}
