"""How big a value is, measured without building it, and the allocation budget of one script step.

A list can hold the same million-character string a thousand times in a few kilobytes; its text
(``str``, an f-string, JSON in the case) is a billion characters. ``size`` walks a value the way
its text would, counting shared parts each time they appear, and stops as soon as the count
passes the limit it was given, so a walk never costs more than the limit itself. Guards measure
what an operation would produce before they let it run.

Each guarded operation also charges what it builds to the step's ``Budget``: one operation is
held to ``MAX_ITEMS``, a whole script step to ``MAX_STEP_ITEMS`` (a loop keeping a million
characters per turn would otherwise fill memory long before the time limit stops it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

MAX_ITEMS = 1_000_000  # characters of a string, items of a value (nested ones included), a width
MAX_STEP_ITEMS = 16 * MAX_ITEMS  # everything the guarded operations of one script step build
MAX_INT_BITS = 100_000  # about 30,000 decimal digits (int() and str() stop at 4,300 anyway)

_TEXT = (str, bytes, bytearray)
_CONTAINERS = (list, tuple, set, frozenset, dict)
_SCALAR_TEXT = 24  # characters of a number, date or other small value written out


class ScriptTooLarge(RuntimeError):
    """A diagram script would build a value past the size limits."""


def size(value: Any, limit: int = MAX_ITEMS, *, text: bool = False) -> int:
    """Return the items (or, with ``text``, characters) of ``value``; stop once past ``limit``.

    Items: a string counts its characters, a container its items plus what they hold. Characters
    estimate ``str(value)`` (or its JSON): quotes, separators and each number's digits too.
    """
    quotes, separator = (3, 2) if text else (0, 1)
    total = 0
    pending = [value]
    while pending:
        item = pending.pop()
        if not isinstance(item, _CONTAINERS):
            total += _leaf(item, quotes) if text or isinstance(item, _TEXT) else 0
        else:
            # Counted before the items are looked at: a walk never visits more than ``limit`` items.
            total += len(item) * separator + quotes
            if total > limit:
                return total
            for part in (item, item.values()) if isinstance(item, dict) else (item,):
                for child in part:
                    if type(child) is str:  # the common case first: no call
                        total += len(child) + quotes
                    elif isinstance(child, _CONTAINERS):
                        pending.append(child)
                    elif text or isinstance(child, _TEXT):
                        total += _leaf(child, quotes)
        if total > limit:
            return total
    return total


def _leaf(item: Any, quotes: int) -> int:
    if isinstance(item, _TEXT):
        return len(item) + quotes
    if isinstance(item, int):
        return (item.bit_length() * 77 >> 8) + 2  # decimal digits (log10 2 ~ 77/256) and a sign
    return _SCALAR_TEXT


class Budget:
    """What the guarded operations of one script step have built so far."""

    def __init__(self, limit: int = MAX_STEP_ITEMS) -> None:
        self.limit = limit
        self.used = 0

    def charge(self, count: int) -> None:
        """Count ``count`` more items built; refuse once the step has built past its limit."""
        self.used += count
        if self.used > self.limit:
            raise ScriptTooLarge(
                f"the script step built {self.used:,} items in all; a diagram script step may build"
                f" at most {self.limit:,}"
            )


_current: ContextVar[Budget | None] = ContextVar("rcp_script_budget", default=None)


@contextmanager
def budgeted(limit: int = MAX_STEP_ITEMS) -> Iterator[Budget]:
    """Give the diagram code run inside the block one allocation budget."""
    budget = Budget(limit)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def allow(count: int, what: str = "items") -> None:
    """Refuse one operation building ``count`` items past ``MAX_ITEMS``; else charge the step."""
    if count > MAX_ITEMS:
        raise ScriptTooLarge(
            f"the script would build a value of {count:,} {what}; diagram scripts may build at most"
            f" {MAX_ITEMS:,}"
        )
    budget = _current.get()
    if budget is not None:
        budget.charge(count)


def allow_bits(count: float) -> None:
    """Refuse a number of about ``count`` bits past ``MAX_INT_BITS``."""
    if count > MAX_INT_BITS:
        raise ScriptTooLarge(
            f"the script would build a number of about {int(count):,} bits; diagram scripts may build"
            f" at most {MAX_INT_BITS:,}"
        )


MAX_CASE_DATA = 1024 * 1024  # characters of a case's data written out as JSON (RCP_MAX_CASE_DATA)


class CaseDataTooLarge(RuntimeError):
    """A step would leave the case holding more data than the limit; ``largest`` names why."""

    def __init__(self, message: str, largest: list[str]) -> None:
        super().__init__(message)
        self.largest = largest


def check_case_data(data: dict[str, Any], limit: int) -> None:
    """Refuse task data whose JSON would pass ``limit`` characters, naming the largest variables."""
    total = size(data, limit, text=True)  # stops at the limit: cheap for every ordinary case
    if total <= limit:
        return
    measured = sorted(((size(value, limit, text=True), name) for name, value in data.items()), reverse=True)
    largest = ", ".join(f"'{name}' (about {count:,})" for count, name in measured[:3])
    raise CaseDataTooLarge(
        f"the case's data would take more than {limit:,} characters, the limit for one case"
        f" (RCP_MAX_CASE_DATA); the largest variables: {largest}",
        [name for _, name in measured[:3]],
    )
