"""Diagram code compiled once: checked by the policy, rewritten to call the size guards, cached.

Only the operations ``sizes`` guards are rewritten (``a * b`` becomes ``_rcp_mul(a, b)``, a
guarded method call ``s.ljust(n)`` becomes ``_rcp_call_method(s, "ljust", n)``, an f-string field
with a format spec goes through ``_rcp_format``); everything else compiles as written. The policy
refuses names starting with ``_`` in diagram code, so a script can neither call nor replace a
guard. The code keeps the file name ``<string>``, which the time limit follows.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from types import CodeType
from typing import Any

from service.engine import policy, sizes
from service.engine.budget import SCRIPT_FILENAME

_PREFIX = "_rcp_"


def _name(guard: Any) -> str:
    return _PREFIX + guard.__name__


# What the rewritten code calls, by name: put into the globals of every run (after task data).
GUARDS: dict[str, Any] = {_name(guard): guard for pair in sizes.BINARY.values() for guard in pair} | {
    _name(sizes.call_method): sizes.call_method,
    _name(sizes.format_value): sizes.format_value,
}
# Builtins replaced by guarded versions of themselves.
BUILTINS: dict[str, Any] = {"range": sizes.guarded_range, "sum": sizes.guarded_sum}


def _call(guard: Any, args: list[ast.expr], keywords: list[ast.keyword] | None = None) -> ast.Call:
    return ast.Call(func=ast.Name(id=_name(guard), ctx=ast.Load()), args=args, keywords=keywords or [])


def _loaded(target: ast.expr) -> ast.expr:
    """Return ``target`` (the left side of ``x += y``) read instead of written."""
    # An attribute or subscript target is evaluated twice (``d[k] *= 2`` reads d and k again);
    # diagram code has no side effects in such places worth the temporaries.
    if isinstance(target, ast.Attribute):
        read: ast.expr = ast.Attribute(value=target.value, attr=target.attr, ctx=ast.Load())
    elif isinstance(target, ast.Subscript):
        read = ast.Subscript(value=target.value, slice=target.slice, ctx=ast.Load())
    elif isinstance(target, ast.Name):
        read = ast.Name(id=target.id, ctx=ast.Load())
    else:  # pragma: no cover - Python allows no other augmented target
        raise policy.PolicyViolation("unsupported augmented assignment target", target.lineno)
    return ast.copy_location(read, target)


class _SizeGuards(ast.NodeTransformer):
    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        guards = sizes.BINARY.get(type(node.op))
        if guards is None:
            return node
        return ast.copy_location(_call(guards[0], [node.left, node.right]), node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        guards = sizes.BINARY.get(type(node.op))
        if guards is None:
            return node
        value = _call(guards[1], [_loaded(node.target), node.value])
        return ast.copy_location(ast.Assign(targets=[node.target], value=value), node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr in sizes.GUARDED_METHODS):
            return node
        args = [func.value, ast.Constant(func.attr), *node.args]
        return ast.copy_location(_call(sizes.call_method, args, node.keywords), node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        self.generic_visit(node)
        if node.format_spec is None:
            return node  # no width or precision: as long as the value's own text
        value = _call(sizes.format_value, [node.value, node.format_spec, ast.Constant(node.conversion)])
        return ast.copy_location(ast.FormattedValue(value=value, conversion=-1, format_spec=None), node)


def _compile(source: str, mode: str) -> CodeType:
    tree = _SizeGuards().visit(ast.parse(source, mode=mode))
    return compile(ast.fix_missing_locations(tree), SCRIPT_FILENAME, mode)


@lru_cache(maxsize=4096)
def script(source: str) -> CodeType:
    """Return a diagram script compiled with its size guards, once it passes the policy."""
    policy.check_script(source)
    return _compile(source, "exec")


@lru_cache(maxsize=4096)
def expression(source: str) -> CodeType:
    """Return a diagram expression compiled with its size guards, once it passes the policy."""
    policy.check_expression(source)
    return _compile(source, "eval")
