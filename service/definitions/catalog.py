"""Definition versions as the engine needs them: spec bundles parsed once and cached."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from service.engine.specs import SpecBundle, load_bundle
from service.engine.values import DiagramSource
from service.errors import NotFound
from service.store import UnitOfWork
from service.store.rows import DefinitionRow
from service.store.rows.decisions import DecisionDefinitionRow


class DefinitionCatalog:
    """Caches parsed specs per (definition, callee versions); the XML is stored once per version."""

    def __init__(self, capacity: int = 256) -> None:
        self._bundles: OrderedDict[tuple[int, tuple[tuple[str, int], ...]], SpecBundle] = OrderedDict()
        self._rows: dict[int, DefinitionRow] = {}
        self._capacity = capacity
        self._lock = threading.Lock()

    def cached(self, definition_id: int) -> DefinitionRow | None:
        """Return a definition row if the cache holds it, else None."""
        return self._rows.get(definition_id)

    def row(self, uow: UnitOfWork, definition_id: int) -> DefinitionRow:
        """Return a definition row (immutable once stored, so cached for good)."""
        cached = self._rows.get(definition_id)
        if cached is not None:
            return cached
        row = uow.definitions.get(definition_id)
        if row is None:
            raise NotFound(f"process definition {definition_id} does not exist")
        self._rows[definition_id] = row
        return row

    def latest(self, uow: UnitOfWork, key: str) -> DefinitionRow | None:
        """Return the latest version of ``key``: only its id is read, the row comes from the cache."""
        definition_id = uow.definitions.latest_id(key)
        return None if definition_id is None else self.row(uow, definition_id)

    def resolve_called(self, uow: UnitOfWork, top: DefinitionRow) -> dict[str, int]:
        """Pin the latest version of every process the definition calls, recursively."""
        pinned: dict[str, int] = {}
        pending = list(top.called_keys)
        while pending:
            key = pending.pop()
            if key in pinned or key == top.key:
                continue
            callee = self.latest(uow, key)
            if callee is None:
                raise NotFound(f"process '{top.key}' calls '{key}', which is not deployed")
            pinned[key] = callee.id
            pending.extend(callee.called_keys)
        return pinned

    def bundle(self, uow: UnitOfWork, definition_id: int, called: dict[str, int]) -> SpecBundle:
        """Return the parsed specs for a definition and its pinned callees."""
        cache_key = (definition_id, tuple(sorted(called.items())))
        with self._lock:
            found = self._bundles.get(cache_key)
            if found is not None:
                self._bundles.move_to_end(cache_key)
                return found
        top = self.row(uow, definition_id)
        rows = [top] + [self.row(uow, i) for i in called.values()]
        sources = {r.source_name: DiagramSource(r.source_name, r.bpmn_xml.encode()) for r in rows}
        decisions = self.decisions(uow, [r.id for r in rows])
        for d in decisions.values():
            sources[d["source_name"]] = DiagramSource(d["source_name"], d["dmn_xml"].encode())
        versions = {key: d["version"] for key, d in decisions.items()}
        built = load_bundle(top.key, sources.values(), versions)
        with self._lock:
            self._bundles[cache_key] = built
            while len(self._bundles) > self._capacity:
                self._bundles.popitem(last=False)
        return built

    def decisions(self, uow: UnitOfWork, definition_ids: list[int]) -> dict[str, DecisionDefinitionRow]:
        """Return the decision versions these process versions pin, by decision id.

        One parser holds one table per decision id: should a caller and a callee pin different
        versions of one decision, the first definition's (the case's own process) is used.
        """
        pinned = uow.decisions.pinned(definition_ids)
        found: dict[str, DecisionDefinitionRow] = {}
        for definition_id in definition_ids:
            for row in pinned[definition_id]:
                found.setdefault(row["key"], row)
        return found

    def form(
        self, uow: UnitOfWork, definition_id: int, called: dict[str, int], process_key: str, filename: str
    ) -> dict[str, Any] | None:
        """Return the form a task of ``process_key`` names, from the version the case runs on."""
        top = self.row(uow, definition_id)
        owner = top if process_key == top.key else self.row(uow, called.get(process_key, definition_id))
        form = owner.forms.get(filename)
        return form if isinstance(form, dict) else None
