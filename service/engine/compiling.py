"""Diagram code compiled once: checked by the policy, rewritten to call the size guards, cached.

Only the operations ``sizes`` guards are rewritten (``a * b`` becomes ``_rcp_mul(a, b)``, a
guarded method call ``s.ljust(n)`` becomes ``_rcp_call_method(s, "ljust", n)`` and ``s.join`` as
a value ``_rcp_bound_method(s, "join")``, every f-string field goes through
``_rcp_format_value``, ``[f(x) for x in xs]`` becomes ``_rcp_list(f(x) for x in xs)``,
``[*xs]`` becomes ``[*_rcp_spread(xs)]``, ``xs[1:]`` becomes ``_rcp_sliced(xs, 1, None, None)``);
everything else compiles as written. The policy refuses names starting with ``_`` in diagram
code, so a script can neither call nor replace a guard. The code keeps the file name
``<string>``, which the time limit follows.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from types import CodeType
from typing import Any

from service.engine import collecting, policy, sizes
from service.engine.budget import SCRIPT_FILENAME

_PREFIX = "_rcp_"


def _name(guard: Any) -> str:
    return _PREFIX + guard.__name__


# What the rewritten code calls, by name: put into the globals of every run (after task data).
GUARDS: dict[str, Any] = {_name(guard): guard for pair in sizes.BINARY.values() for guard in pair} | {
    _name(guard): guard
    for guard in (sizes.call_method, sizes.bound_method, sizes.format_value, sizes.sliced, collecting.spread)
}
# Builtins replaced by guarded versions of themselves.
BUILTINS: dict[str, Any] = collecting.BUILTINS
# Comprehensions are collected by the guarded builtin of their kind, item by item.
_COLLECTORS = {ast.ListComp: "list", ast.SetComp: "set", ast.DictComp: "dict"}
GUARDS |= {_PREFIX + kind: BUILTINS[kind] for kind in _COLLECTORS.values()}


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
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr in sizes.GUARDED_METHODS):
            self.generic_visit(node)
            return node
        # The method itself is not visited: called here, it needs no bound guard.
        func.value = self.visit(func.value)
        node.args = [self.visit(arg) for arg in node.args]
        node.keywords = [self.visit(keyword) for keyword in node.keywords]
        args = [func.value, ast.Constant(func.attr), *node.args]
        return ast.copy_location(_call(sizes.call_method, args, node.keywords), node)

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if node.attr not in sizes.GUARDED_METHODS or not isinstance(node.ctx, ast.Load):
            return node
        return ast.copy_location(_call(sizes.bound_method, [node.value, ast.Constant(node.attr)]), node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        self.generic_visit(node)
        spec: ast.expr = node.format_spec or ast.Constant("")
        value = _call(sizes.format_value, [node.value, spec, ast.Constant(node.conversion)])
        return ast.copy_location(ast.FormattedValue(value=value, conversion=-1, format_spec=None), node)

    def visit_Starred(self, node: ast.Starred) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load):
            node.value = ast.copy_location(_call(collecting.spread, [node.value]), node.value)
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        part = node.slice
        if not (isinstance(part, ast.Slice) and isinstance(node.ctx, ast.Load)):
            return node
        bounds = [bound or ast.Constant(None) for bound in (part.lower, part.upper, part.step)]
        return ast.copy_location(_call(sizes.sliced, [node.value, *bounds]), node)

    def _collect(self, node: ast.ListComp | ast.SetComp | ast.DictComp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node, ast.DictComp):
            item: ast.expr = ast.Tuple(elts=[node.key, node.value], ctx=ast.Load())
        else:
            item = node.elt
        items = ast.GeneratorExp(elt=item, generators=node.generators)
        collector = ast.Name(id=_PREFIX + _COLLECTORS[type(node)], ctx=ast.Load())
        return ast.copy_location(ast.Call(func=collector, args=[items], keywords=[]), node)

    visit_ListComp = visit_SetComp = visit_DictComp = _collect


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
