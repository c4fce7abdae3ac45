"""Size limits for diagram scripts: the single operations that could build a huge value.

The time limit (``budget``) stops a script between two opcodes, but one opcode can run for hours
or take gigabytes: ``"x" * 10**10``, ``10 ** 10**9``, ``sum(range(10**15))``. Each operation
that can build a value much larger than its operands is compiled to call a guard here, which
works out the size of the result first and refuses one past the limits; the step then fails like
any failing script (the case gets an incident). Growth over many steps (a list doubled in a loop)
meets these limits at each step, and comprehensions meet the time limit.
"""

from __future__ import annotations

import ast
import builtins
import math
import operator
import re
from collections.abc import Callable, Iterable
from typing import Any

MAX_ITEMS = 1_000_000  # characters of a string, items of a list, tuple or range; a format width
MAX_INT_BITS = 100_000  # about 30,000 decimal digits (int() and str() stop at 4,300 anyway)

_SEQUENCES = (str, bytes, list, tuple)
_TEXT = (str, bytes)
# printf-style conversions (``"%10.2f" % x``): width and precision, each a number or ``*``; a
# literal ``%%`` matches first, so the text after it is not read as a width.
_PRINTF = re.compile(r"%(?:%|(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?)")
_DIGITS = re.compile(r"\d+")


class ScriptTooLarge(RuntimeError):
    """A diagram script would build a value past the size limits."""


def _items(count: int, what: str = "items") -> None:
    if count > MAX_ITEMS:
        raise ScriptTooLarge(
            f"the script would build a value of {count:,} {what}; diagram scripts may build at most"
            f" {MAX_ITEMS:,}"
        )


def _bits(count: float) -> None:
    if count > MAX_INT_BITS:
        raise ScriptTooLarge(
            f"the script would build a number of about {int(count):,} bits; diagram scripts may build"
            f" at most {MAX_INT_BITS:,}"
        )


def _length(value: Any) -> int:
    return len(value) if isinstance(value, _SEQUENCES) else 0


def _check_mul(a: Any, b: Any) -> None:
    if isinstance(a, int) and isinstance(b, int):
        _bits(a.bit_length() + b.bit_length())
    elif isinstance(a, _SEQUENCES) and isinstance(b, int):
        _items(len(a) * b)
    elif isinstance(b, _SEQUENCES) and isinstance(a, int):
        _items(len(b) * a)


def _check_power(a: Any, b: Any) -> None:
    if isinstance(a, int) and isinstance(b, int) and b > 0 and abs(a) > 1:
        _bits(math.log2(abs(a)) * b)


def _check_lshift(a: Any, b: Any) -> None:
    if isinstance(a, int) and isinstance(b, int) and a and b > 0:
        _bits(a.bit_length() + b)


def _check_add(a: Any, b: Any) -> None:
    if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
        _items(len(a) + len(b))


def _check_modulo(a: Any, b: Any) -> None:
    """Refuse a printf-style format (``"%10.2f" % x``) that would pad or print past the limits."""
    if not isinstance(a, _TEXT):
        return
    template = a.decode("latin-1") if isinstance(a, bytes) else a
    starred = False
    for spec in _PRINTF.finditer(template):
        for size in spec.groups():
            if size == "*":
                starred = True
            elif size:
                _items(int(size), "characters")
    if starred:
        for value in b if isinstance(b, tuple) else (b,):
            if isinstance(value, int):
                _items(value, "characters")


Binary = Callable[[Any, Any], Any]


def _guard(check: Callable[[Any, Any], None], operate: Binary) -> Binary:
    def guarded(a: Any, b: Any) -> Any:
        check(a, b)
        return operate(a, b)

    guarded.__name__ = operate.__name__
    guarded.__doc__ = f"Return ``operator.{operate.__name__}(a, b)`` unless the result would be too large."
    return guarded


# AST operator → (guard of ``a op b``, guard of ``a op= b``); the augmented form keeps Python's
# in-place semantics (a list multiplied in place stays the same list).
BINARY: dict[type[ast.operator], tuple[Binary, Binary]] = {
    ast.Mult: (_guard(_check_mul, operator.mul), _guard(_check_mul, operator.imul)),
    ast.Pow: (_guard(_check_power, operator.pow), _guard(_check_power, operator.ipow)),
    ast.LShift: (_guard(_check_lshift, operator.lshift), _guard(_check_lshift, operator.ilshift)),
    ast.Add: (_guard(_check_add, operator.add), _guard(_check_add, operator.iadd)),
    ast.Mod: (_guard(_check_modulo, operator.mod), _guard(_check_modulo, operator.imod)),
}


def format_value(value: Any, spec: str, conversion: int) -> str:
    """Return an f-string field (``f"{x!r:>10}"``) unless its width or precision is too large."""
    for size in _DIGITS.findall(spec):
        _items(int(size), "characters")
    if conversion == ord("r"):
        value = repr(value)
    elif conversion == ord("s"):
        value = str(value)
    elif conversion == ord("a"):
        value = ascii(value)
    return builtins.format(value, spec)


def _width(args: tuple[Any, ...], kwargs: dict[str, Any], name: str) -> int:
    width = args[0] if args else kwargs.get(name, 0)
    return width if isinstance(width, int) else 0


def _text_result(text: str | bytes, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """Return the length of what ``text.name(*args)`` would build (0 when it cannot grow)."""
    if name in ("ljust", "rjust", "center", "zfill"):
        return _width(args, kwargs, "width")
    if name == "expandtabs":
        tabs = text.count("\t") if isinstance(text, str) else text.count(b"\t")
        return len(text) + tabs * max(_width(args, kwargs, "tabsize") if args or kwargs else 8, 0)
    if name == "replace" and len(args) >= 2 and isinstance(args[0], _TEXT) and isinstance(args[1], _TEXT):
        old, new = args[0], args[1]
        found = len(text) + 1 if not old else text.count(old)  # type: ignore[arg-type]
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            found = min(found, args[2])
        return len(text) + found * (len(new) - len(old))
    if name == "translate" and args and isinstance(args[0], dict):
        longest = max((len(v) for v in args[0].values() if isinstance(v, _TEXT)), default=1)
        return len(text) * longest
    return 0


def call_method(target: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call ``target.name(...)``, first refusing a call that would build a value too large."""
    method = getattr(target, name)
    if isinstance(target, _TEXT):
        if name == "join" and args:
            parts = list(args[0])
            _items(sum(_length(p) for p in parts) + len(target) * max(len(parts) - 1, 0))
            return method(parts)
        _items(_text_result(target, name, args, kwargs))
    elif isinstance(target, list) and name == "extend" and args:
        more = args[0] if isinstance(args[0], _SEQUENCES) else list(args[0])
        _items(len(target) + len(more))
        return method(more)
    elif isinstance(target, int) and name == "to_bytes":
        _items(_width(args, kwargs, "length"), "bytes")
    return method(*args, **kwargs)


# Methods whose result can be far larger than their target and arguments.
GUARDED_METHODS = frozenset(
    {"ljust", "rjust", "center", "zfill", "expandtabs", "replace", "translate", "join", "extend", "to_bytes"}
)


def guarded_range(*args: Any) -> range:
    """Return ``range(*args)`` unless it is too long (``sum(range(10**15))`` never ends)."""
    made = range(*args)
    try:
        count = len(made)
    except OverflowError:  # longer than sys.maxsize
        count = MAX_ITEMS + 1
    _items(count)
    return made


def guarded_sum(values: Iterable[Any], start: Any = 0) -> Any:
    """Return ``sum(values, start)`` unless it would join sequences into one too long."""
    if isinstance(start, _SEQUENCES):
        values = list(values)
        _items(len(start) + sum(_length(v) for v in values))
    return builtins.sum(values, start)
