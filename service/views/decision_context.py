"""What a task shows read-only beside its form: earlier decisions, notices, messages and facts.

A user task declares its context in its diagram (``decisionContext``, see docs/modeler.md); this
module turns each declared entry into labelled, formatted items. Labels come from the
declaration, else from the case's form schemas (titles, enum names), else from the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from service.engine.values import ContextEntry
from service.store.rows import AuditRow
from service.views import local_time

MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class ContextItem:
    """One labelled, read-only item: its value as lines of text, the notice it names, when it came."""

    label: str
    lines: list[str]
    notice: str | None = None
    received: str | None = None
    documents: list[DocumentLink] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentLink:
    """A case document a context item links to: its id and name."""

    id: str
    name: str


@dataclass
class Lexicon:
    """Field titles and enum names of a case's forms, by field name."""

    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    zone: tzinfo = UTC  # the offices' zone: times read as the office reads them

    def field(self, path: list[str]) -> dict[str, Any]:
        """Return the schema of the field at ``path`` (empty when no form describes it)."""
        prop: Mapping[str, Any] = self.fields.get(path[0], {})
        for part in path[1:]:
            prop = prop.get("properties", {}).get(part, {})
        return dict(prop)

    def enum_names(self, path: list[str], prop: Mapping[str, Any]) -> dict[Any, str]:
        """Return an enum's titles by value: the UI schema's enumNames, else oneOf titles."""
        items = prop.get("items", prop)
        values = items.get("enum", [])
        names = self.names.get(".".join(path), [])
        titled = {c["const"]: c["title"] for c in items.get("oneOf", []) if "const" in c and "title" in c}
        return {**titled, **dict(zip(values, names, strict=False))}


def lexicon(forms: Iterable[Mapping[str, Any]]) -> Lexicon:
    """Collect the titles and enum names of every field of the given forms and UI schemas."""
    found = Lexicon()
    for form in forms:
        for name, prop in (form.get("properties") or {}).items():
            found.fields.setdefault(name, prop)
        if "properties" not in form:
            _ui_names(form, [], found.names)
    return found


def _ui_names(ui: Mapping[str, Any], path: list[str], into: dict[str, list[str]]) -> None:
    for key, value in ui.items():
        if key == "ui:enumNames" and path:
            into.setdefault(".".join(path), list(value))
        elif isinstance(value, Mapping) and not key.startswith("ui:"):
            _ui_names(value, path if key == "items" else [*path, key], into)


def items(
    entries: list[ContextEntry],
    data: Mapping[str, Any],
    audit: list[AuditRow],
    words: Lexicon,
    people: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[ContextItem]:
    """Return the labelled items a task's declared context shows, leaving out what the case lacks.

    ``names``: the case's document names by id, for documents a value names by id only.
    """
    shown: list[ContextItem] = []
    for entry in entries:
        if entry.kind == "message":
            shown += _messages(entry, audit, words)
            continue
        if entry.kind == "decision":
            shown += _decision(entry, audit, people or {}, words.zone)
            continue
        path = entry.source.split(".")
        value = _at(data, path)
        if value is None or value == "" or value == []:
            continue
        if entry.kind == "notice" and isinstance(value, Mapping):
            shown.append(_notice(entry, value, words.zone))
            continue
        if entry.kind == "documents":
            shown += _documents(entry, value, names or {})
            continue
        prop = words.field(path)
        label = entry.label or _label(path[-1], prop)
        shown.append(ContextItem(label, _lines(value, path, prop, words)))
    return shown


def _at(data: Mapping[str, Any], path: list[str]) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _notice(entry: ContextEntry, value: Mapping[str, Any], zone: tzinfo) -> ContextItem:
    number = str(value.get("notice_number") or "")
    issued = value.get("issued_on") or value.get("issued_at")
    line = f"Notice {number}" + (f", issued {_text(issued, zone)}" if issued else "")
    return ContextItem(entry.label or "Notice", [line], notice=number or None)


def _documents(entry: ContextEntry, value: Any, names: Mapping[str, str]) -> list[ContextItem]:
    """Return the documents a value refers to: a form's references, ``{"id": ...}`` or bare ids."""
    links = []
    for one in value if isinstance(value, list) else [value]:
        found = (one.get("document_id") or one.get("id")) if isinstance(one, Mapping) else one
        if isinstance(found, str) and found:
            named = one.get("name") if isinstance(one, Mapping) else None
            links.append(DocumentLink(found, str(named or names.get(found) or f"Document {found}")))
    if not links:
        return []
    label = entry.label or _label(entry.source.split(".")[-1], {})
    return [ContextItem(label, [link.name for link in links], documents=links)]


def completions(audit: list[AuditRow], task_name: str) -> list[AuditRow]:
    """Return the audit entries that completed a task of that name, oldest first."""
    return [
        a for a in audit if a["action"] == "complete" and a["outcome"] == "ok" and a["task_name"] == task_name
    ]


def _decision(
    entry: ContextEntry, audit: list[AuditRow], people: Mapping[str, str], zone: tzinfo
) -> list[ContextItem]:
    done = completions(audit, entry.source)
    if not done:
        return []
    last = done[-1]
    who = people.get(last["actor"], last["actor"])
    return [ContextItem(entry.label or "Decided by", [f"{who}, {_text(last['at'], zone)}"])]


def _messages(entry: ContextEntry, audit: list[AuditRow], words: Lexicon) -> list[ContextItem]:
    label = entry.label or _label(entry.source, {})
    found = [
        a
        for a in audit
        if a["action"] == "message"
        and a["outcome"] == "ok"
        and isinstance(a["data"], Mapping)
        and a["data"].get("messageName") == entry.source
    ]
    shown = []
    for number, row in enumerate(found, start=1):
        variables = row["data"].get("variables") or {}
        lines = _lines(variables, [], {}, words) if variables else ["Nothing was sent with it."]
        title = f"{label} ({number} of {len(found)})" if len(found) > 1 else label
        shown.append(ContextItem(title, lines, received=_text(row["at"], words.zone)))
    return shown


def _lines(value: Any, path: list[str], prop: Mapping[str, Any], words: Lexicon) -> list[str]:
    if isinstance(value, Mapping):
        lines = []
        for key, inner in value.items():
            sub = dict(prop.get("properties", {}).get(key, {})) or words.field([key])
            text = "; ".join(_lines(inner, [*path, key], sub, words))
            lines.append(f"{_label(key, sub)}: {text}")
        return lines
    names = words.enum_names(path, prop) if path else {}
    if isinstance(value, list):
        return [_text(names.get(v, v) if _hashable(v) else v, words.zone) for v in value]
    return [_text(names.get(value, value) if _hashable(value) else value, words.zone)]


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def _label(name: str, prop: Mapping[str, Any]) -> str:
    return str(prop.get("title") or name.replace("_", " ").capitalize())


def _text(value: Any, zone: tzinfo = UTC) -> str:
    """Return a value as a person reads it: Yes/No, dates as days, times in the offices' zone."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return local_time.when(value, zone)
    if isinstance(value, str) and MOMENT.match(value):
        try:
            return _text(datetime.fromisoformat(value), zone)
        except ValueError:
            return value
    if isinstance(value, Mapping):
        return ", ".join(f"{_label(str(k), {})}: {_text(v, zone)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_text(v, zone) for v in value)
    return str(value)
