"""Compare two versions of a DMN file table by table: rules added, removed and changed, cell by cell."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from service.engine.decisions_model import Rule, Table, parse_dmn, tables


@dataclass(frozen=True)
class CellChange:
    """One cell of a rule that differs: its column (input, output or the annotation)."""

    column: str
    kind: str  # "input", "output" or "annotation"
    before: str
    after: str


@dataclass(frozen=True)
class RuleChange:
    """A rule added, removed or changed; rules are matched by their id."""

    rule_id: str
    kind: str  # "added", "removed" or "changed"
    index: int  # 1-based position in the newer table (the older one for a removed rule)
    annotation: str
    cells: list[CellChange] = field(default_factory=list)


@dataclass(frozen=True)
class TableChange:
    """What changed in one decision table (columns and hit policy as sentences, rules as rows)."""

    decision_id: str
    name: str
    kind: str  # "added", "removed" or "changed"
    notes: list[str]
    rules: list[RuleChange]


def _columns(table: Table) -> list[tuple[str, str]]:
    """Name each cell position of a rule: the inputs, the outputs, then the annotation."""
    return [(c.label or c.expression, "input") for c in table.inputs] + [
        (o.label or o.name, "output") for o in table.outputs
    ]


def _cells(rule: Rule) -> list[str]:
    return [*rule.inputs, *rule.outputs]


def _rule_changes(old: Rule, new: Rule, columns: list[tuple[str, str]]) -> list[CellChange]:
    changed = [
        CellChange(name, kind, a, b)
        for (name, kind), a, b in zip(columns, _cells(old), _cells(new), strict=False)
        if a.strip() != b.strip()
    ]
    if old.annotation.strip() != new.annotation.strip():
        changed.append(CellChange("Annotation", "annotation", old.annotation, new.annotation))
    return changed


def _table_notes(old: Table, new: Table) -> list[str]:
    notes = []
    if old.hit_policy != new.hit_policy:
        notes.append(f"hit policy {old.hit_policy} → {new.hit_policy}")
    if _columns(old) != _columns(new):
        before = ", ".join(n for n, _ in _columns(old))
        after = ", ".join(n for n, _ in _columns(new))
        notes.append(f"columns {before} → {after}")
    if [c.expression for c in old.inputs] != [c.expression for c in new.inputs]:
        notes.append("an input expression changed")
    return notes


def compare_tables(old: Table, new: Table) -> TableChange:
    """Compare two versions of one table; rules keep their identity through their id."""
    old_rules = {r.id: r for r in old.rules}
    new_ids = {r.id for r in new.rules}
    columns = _columns(new)
    rules: list[RuleChange] = []
    for rule in new.rules:
        before = old_rules.get(rule.id)
        if before is None:
            rules.append(RuleChange(rule.id, "added", rule.index, rule.annotation))
        elif cells := _rule_changes(before, rule, columns):
            rules.append(RuleChange(rule.id, "changed", rule.index, rule.annotation, cells))
    rules += [RuleChange(r.id, "removed", r.index, r.annotation) for r in old.rules if r.id not in new_ids]
    return TableChange(new.decision_id, new.decision_name, "changed", _table_notes(old, new), rules)


def compare_files(
    before: bytes | str, after: bytes | str, file_name: str = "decision.dmn"
) -> list[dict[str, Any]]:
    """List each table that differs between two versions of a DMN file (as JSON-ready dicts)."""
    old = {t.decision_id: t for t in tables(parse_dmn(file_name, before))}
    new = {t.decision_id: t for t in tables(parse_dmn(file_name, after))}
    found: list[TableChange] = []
    for decision_id, table in new.items():
        if decision_id not in old:
            found.append(TableChange(decision_id, table.decision_name, "added", [], []))
            continue
        change = compare_tables(old[decision_id], table)
        if change.notes or change.rules:
            found.append(change)
    found += [TableChange(i, t.decision_name, "removed", [], []) for i, t in old.items() if i not in new]
    return [asdict(change) for change in found]
