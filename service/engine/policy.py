"""The script policy: what diagram scripts and expressions may contain.

SpiffWorkflow runs every script and expression with plain ``exec``/``eval`` and no sandbox, so a
diagram is code. Everything a diagram runs passes this AST allow-list, both when it is deployed
and again before each run; the globals it runs with hold only ``SAFE_BUILTINS`` and the injected
functions. Together that keeps out imports, dunder walks
(``().__class__.__base__.__subclasses__()``), files, the network and the OS.
"""

from __future__ import annotations

import ast
import builtins
from functools import lru_cache

# Builtins a script may call. Everything else (open, eval, exec, compile, getattr, type, vars,
# globals, __import__, input, breakpoint, help, memoryview, object, super ...) is absent at run time
# and refused at deploy time.
SAFE_BUILTIN_NAMES = frozenset(
    {
        "abs",
        "all",
        "any",
        "bool",
        "dict",
        "divmod",
        "enumerate",
        "filter",
        "float",
        "frozenset",
        "int",
        "isinstance",
        "len",
        "list",
        "map",
        "max",
        "min",
        "range",
        "reversed",
        "round",
        "set",
        "sorted",
        "str",
        "sum",
        "tuple",
        "zip",
        "None",
        "True",
        "False",
        "ValueError",
        "KeyError",
        "TypeError",
        "Exception",
    }
)
SAFE_BUILTINS = {name: getattr(builtins, name) for name in SAFE_BUILTIN_NAMES if hasattr(builtins, name)}

FORBIDDEN_NAMES = frozenset(set(dir(builtins)) - SAFE_BUILTIN_NAMES) | {"__builtins__"}

# Attributes that reach through objects even without a dunder (str.format walks attributes).
FORBIDDEN_ATTRIBUTES = frozenset({"format", "format_map", "mro", "gi_frame", "f_globals", "f_back"})

# Statements a script may not use at all.
FORBIDDEN_NODES: tuple[type[ast.AST], ...] = (
    ast.Import,
    ast.ImportFrom,
    ast.Global,
    ast.Nonlocal,
    ast.ClassDef,
    ast.AsyncFunctionDef,
    ast.AsyncFor,
    ast.AsyncWith,
    ast.Await,
    ast.With,
    ast.Yield,
    ast.YieldFrom,
    ast.Delete,
)

MAX_SOURCE = 20_000


class PolicyViolation(ValueError):
    """A script or expression breaks the policy; ``line`` is relative to the script."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _violation(node: ast.AST) -> str | None:
    if isinstance(node, FORBIDDEN_NODES):
        return f"'{type(node).__name__}' statements are not allowed in diagram scripts"
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            return f"names starting with '_' are not allowed: {node.id}"
        if node.id in FORBIDDEN_NAMES:
            return f"'{node.id}' is not available to diagram scripts"
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("_"):
            return f"attributes starting with '_' are not allowed: .{node.attr}"
        if node.attr in FORBIDDEN_ATTRIBUTES:
            return f"the attribute .{node.attr} is not allowed"
    if isinstance(node, ast.arg | ast.keyword) and (node.arg or "").startswith("_"):
        return f"names starting with '_' are not allowed: {node.arg}"
    if isinstance(node, ast.FunctionDef) and node.name.startswith("_"):
        return f"names starting with '_' are not allowed: {node.name}"
    return None


def _check_tree(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        problem = _violation(node)
        if problem:
            raise PolicyViolation(problem, getattr(node, "lineno", None))


@lru_cache(maxsize=4096)
def check_expression(source: str) -> None:
    """Refuse an expression that breaks the policy (cached: diagrams repeat their expressions)."""
    _check(source, "eval")


@lru_cache(maxsize=4096)
def check_script(source: str) -> None:
    """Refuse a script that breaks the policy (cached)."""
    _check(source, "exec")


def _check(source: str, mode: str) -> None:
    if len(source) > MAX_SOURCE:
        raise PolicyViolation(f"script longer than {MAX_SOURCE} characters")
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        raise PolicyViolation(f"syntax error: {exc.msg}", exc.lineno) from None
    _check_tree(tree)
