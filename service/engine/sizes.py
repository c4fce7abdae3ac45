"""Size limits for diagram scripts: the single operations that could build a huge value.

The time limit (``budget``) stops a script between two opcodes, but one opcode can run for hours
or take gigabytes: ``"x" * 10**10``, ``10 ** 10**9``, ``str(["x" * 999999] * 5000)``. Each
operation that can build a value much larger than its operands (``*``, ``+``, ``%``, f-strings,
``str``, the collection builtins, comprehensions, ``join`` and the padding methods) is compiled
to call a guard here, which works out the size of the result first (``measure.size``, nested
items and shared parts included) and refuses one past the limits; the step then fails like any
failing script (the case gets an incident). What the guards let through is charged to the
step's budget, so growth over many operations (a list doubled in a loop) meets a limit too.
"""

from __future__ import annotations

import ast
import builtins
import math
import operator
import re
from collections.abc import Callable
from typing import Any

from service.engine import collecting
from service.engine.measure import MAX_INT_BITS, MAX_ITEMS, ScriptTooLarge, allow, allow_bits, size

__all__ = ["MAX_INT_BITS", "MAX_ITEMS", "ScriptTooLarge"]

_SEQUENCES = (str, bytes, list, tuple)
_TEXT = (str, bytes)
_SIZED = collecting.SIZED
# printf-style conversions (``"%10.2f" % x``): width and precision, each a number or ``*``; a
# literal ``%%`` matches first, so the text after it is not read as a width.
_PRINTF = re.compile(r"%(?:%|(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?)")
_DIGITS = re.compile(r"\d+")


def _length(value: Any) -> int:
    return len(value) if isinstance(value, _SEQUENCES) else 0


def _check_mul(a: Any, b: Any) -> None:
    if isinstance(a, int) and isinstance(b, int):
        allow_bits(a.bit_length() + b.bit_length())
    elif isinstance(a, _SEQUENCES) and isinstance(b, int):
        allow(size(a) * max(b, 0))  # ``[[0] * 999999] * 5`` holds five million items
    elif isinstance(b, _SEQUENCES) and isinstance(a, int):
        allow(size(b) * max(a, 0))


def _check_power(a: Any, b: Any) -> None:
    if isinstance(a, int) and isinstance(b, int) and b > 0 and abs(a) > 1:
        allow_bits(math.log2(abs(a)) * b)


def _check_lshift(a: Any, b: Any) -> None:
    if isinstance(a, int) and isinstance(b, int) and a and b > 0:
        allow_bits(a.bit_length() + b)


def _check_add(a: Any, b: Any) -> None:
    if isinstance(a, _TEXT) and isinstance(b, _TEXT):
        allow(len(a) + len(b))
    elif isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
        allow(size(a) + size(b))


def _check_modulo(a: Any, b: Any) -> None:
    """Refuse a printf-style format (``"%10.2f" % x``) that would pad or print past the limits."""
    if not isinstance(a, _TEXT):
        return
    template = a.decode("latin-1") if isinstance(a, bytes) else a
    starred = False
    for spec in _PRINTF.finditer(template):
        for width in spec.groups():
            if width == "*":
                starred = True
            elif width:
                allow(int(width), "characters")
    values = b if isinstance(b, tuple) else (b,)
    if starred:
        for value in values:
            if isinstance(value, int):
                allow(value, "characters")
    # ``"%s" % (rows,)`` writes out every value: as long as their text, whatever the template says.
    allow(len(template) + sum(size(v, text=True) for v in values), "characters")


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
    """Return an f-string field (``f"{x!r:>10}"``) unless its text, width or precision is too large."""
    for width in _DIGITS.findall(spec):
        allow(int(width), "characters")
    allow(len(value) if isinstance(value, str) else size(value, text=True), "characters")
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
    if isinstance(target, type | collecting.GuardedType) and args:  # ``str.join(",", parts)``
        return call_method(args[0], name, *args[1:], **kwargs)
    method = getattr(target, name)
    if isinstance(target, _TEXT):
        if name == "join" and args:
            parts = list(collecting.counted(args[0]))
            allow(sum(_length(p) for p in parts) + len(target) * max(len(parts) - 1, 0), "characters")
            return method(parts)
        allow(_text_result(target, name, args, kwargs), "characters")
    elif isinstance(target, list) and name == "extend" and args:
        more = args[0] if isinstance(args[0], _SEQUENCES) else list(collecting.counted(args[0]))
        allow(len(target) + size(more))
        return method(more)
    elif isinstance(target, int) and name == "to_bytes":
        allow(_width(args, kwargs, "length"), "bytes")
    if name in COPYING_METHODS and isinstance(target, _SIZED):
        allow(len(target) + sum(len(a) for a in args if isinstance(a, _SIZED)))
    return method(*args, **kwargs)


def sliced(value: Any, lower: Any = None, upper: Any = None, step: Any = None) -> Any:
    """Return ``value[lower:upper:step]``, charging the copy it makes to the step's budget."""
    part = slice(lower, upper, step)
    if isinstance(value, _SIZED):
        allow(len(range(*part.indices(len(value)))))
    return value[part]


def bound_method(target: Any, name: str) -> Callable[..., Any]:
    """Return ``target.name`` as a value (``map(",".join, rows)``) that still calls its guard."""
    getattr(target, name)  # fail now, as ``target.name`` would, when there is no such method

    def method(*args: Any, **kwargs: Any) -> Any:
        return call_method(target, name, *args, **kwargs)

    return method


# Methods whose result can be far larger than their target and arguments.
GROWING_METHODS = frozenset(
    {"ljust", "rjust", "center", "zfill", "expandtabs", "replace", "translate", "join", "extend", "to_bytes"}
)
# Methods building a copy about as large as their target and arguments (``s.upper()``): each is
# charged to the step's budget, so a loop keeping copies of a large value meets a limit.
COPYING_METHODS = frozenset(
    {
        *("upper", "lower", "casefold", "capitalize", "title", "swapcase", "strip", "lstrip", "rstrip"),
        *("split", "rsplit", "splitlines", "partition", "rpartition", "encode", "decode", "hex"),
        *("removeprefix", "removesuffix", "copy", "union", "intersection", "difference"),
        "symmetric_difference",
    }
)
GUARDED_METHODS = GROWING_METHODS | COPYING_METHODS
