"""The layers hold: each package imports only the packages below it, and no module imports in a circle.

Every import counts, those under ``TYPE_CHECKING`` and inside functions included: a type-only
arrow still ties two packages together for whoever changes one of them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASICS = (
    *("service.config", "service.instance", "service.clock", "service.errors", "service.ids"),
    "service.limits",  # what the service accepts from outside: sizes, depth, characters
)
ALWAYS = {"basics"}  # everyone may use the configuration, the clock, the errors, ids and limits
VALUES = {"service.engine.values", "service.identity.actors", "service.store.rows"}

# Which package may import which (longest name wins: service.store.rows is not service.store).
ALLOWED: dict[str, set[str]] = {
    "handlers": set(),  # the domain: plain data in, JSON-able out; knows nothing of the service
    "basics": set(),
    "service.engine.values": set(),
    "service.identity.actors": set(),
    "service.store.rows": set(),
    # The request id of the work in hand: the store writes it on outbox rows, runners set it again.
    "service.observe.context": set(),
    # Case documents' bytes: the blob store port, its stores, content sniffing, safe names.
    "service.documents": set(),
    "service.engine": {"handlers", "service.engine.values"},
    "service.store": {"handlers", "service.engine.values", "service.observe.context", "service.store.rows"},
    "service.definitions": {"service.engine", "service.store", *VALUES},
    "service.services": {
        "handlers",
        "service.definitions",
        "service.documents",
        "service.engine",
        "service.store",
    },
    "service.identity": {"service.services", "service.store", *VALUES},
    "service.notify": {"service.observe.context", "service.services", "service.store"},
    "service.trigger": {"handlers", "service.engine", "service.services", "service.store", *VALUES},
    "service.views": {
        "handlers",
        "service.definitions",
        "service.documents",  # a document's blob missing from the store (BlobMissing)
        "service.engine",
        "service.services",
        "service.store",
        *VALUES,
    },
    "service.actions": {
        *("handlers", "service.definitions", "service.engine", "service.notify", "service.services"),
        *("service.store", "service.trigger", "service.views", *VALUES),
        "service.documents",
    },
    "service.modeler": {"service.actions", "service.engine", "service.services", "service.store", *VALUES},
    "service.jobs": {"service.actions", "service.bootstrap", "service.notify", "service.services"},
    "service.api": {
        *("service.actions", "service.documents", "service.identity", "service.services", "service.views"),
        *VALUES,
    },
    # The modeler's JSON endpoints answer errors as the API does (service.api.problems).
    "service.web": {
        *("service.actions", "service.api", "service.definitions", "service.identity", "service.modeler"),
        *("service.services", "service.views", *VALUES),
        "service.documents",  # safe file names in Content-Disposition (documents' pages)
    },
    "service.bootstrap": {
        *("handlers", "service.definitions", "service.engine", "service.notify", "service.services"),
        *("service.store", "service.trigger", "service.documents"),
    },
    "service.cli": {
        *("service", "service.actions", "service.api", "service.bootstrap", "service.identity"),
        *("service.jobs", "service.observe", "service.services", "service.views", *VALUES),
        "service.store",  # rcp backup: the store's own copy of its database (service.store.backup)
    },
    # Logs, request ids, metrics, health and readiness: beside the API and the pages, over the views.
    "service.observe": {"service.observe.context", "service.services", "service.views", *VALUES},
    "service": {  # create_app
        *("service.api", "service.bootstrap", "service.observe", "service.services", "service.web"),
    },
}


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in [*ROOT.glob("service/**/*.py"), *ROOT.glob("handlers/**/*.py")]:
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if package else parts)] = (path, package)
    return found


MODULES = _modules()


def unit(module: str) -> str:
    """Return the package a module belongs to for the layering (the longest name in ALLOWED)."""
    if module in BASICS:
        return "basics"
    for name in sorted(ALLOWED, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name
    raise AssertionError(f"{module} belongs to no package of the layering table: add it")


def imports(module: str) -> Iterator[tuple[str, int]]:
    """Yield every project module ``module`` imports, with the line, wherever the import stands."""
    path, package = MODULES[module]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                node_module = ".".join(base + ([node.module] if node.module else []))
            else:
                node_module = node.module or ""
            names = [
                f"{node_module}.{a.name}" if f"{node_module}.{a.name}" in MODULES else node_module
                for a in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in MODULES and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in MODULES and name != module:
                yield name, node.lineno


def test_every_arrow_between_packages_is_in_the_layering_table() -> None:
    forbidden = [
        f"{MODULES[module][0].relative_to(ROOT)}:{line} imports {target} ({unit(module)} -> {unit(target)})"
        for module in sorted(MODULES)
        for target, line in imports(module)
        if unit(module) != unit(target)
        and unit(target) not in ALLOWED[unit(module)] | (ALWAYS if unit(module) != "basics" else set())
    ]
    assert forbidden == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            members = []
            while (member := stack.pop()) != node:
                members.append(member)
            if members:
                found.append(sorted([node, *members]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_layering_table_itself_has_no_cycle() -> None:
    assert _cycles(ALLOWED) == []


def test_no_module_imports_another_that_imports_it_back_even_through_others() -> None:
    graph = {module: {target for target, _ in imports(module)} for module in MODULES}
    assert _cycles(graph) == []


@pytest.mark.parametrize(
    ("modules", "heavy"),
    [
        (["service.store", "service.store.rows", "service.views.inbox"], ["SpiffWorkflow"]),
        (
            ["service.engine.values", "service.identity.actors", "handlers.catalog"],
            ["SpiffWorkflow", "sqlalchemy", "flask"],
        ),
    ],
)
def test_plain_values_and_the_store_load_without_the_engine(modules: list[str], heavy: list[str]) -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_views_never_write() -> None:
    writes = []
    for path in sorted(ROOT.glob("service/views/*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            name = node.func.attr
            readonly = any(
                k.arg == "readonly" and getattr(k.value, "value", None) is True for k in node.keywords
            )
            if name in ("commit", "run", "savepoint") or (name == "unit_of_work" and not readonly):
                writes.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert writes == []
