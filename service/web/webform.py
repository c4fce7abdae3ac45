"""Web forms generated from a task's JSON Schema and UI schema, and posted values turned into data.

The UI schema follows react-jsonschema-form's keys, as spiff-arena's forms do: ``ui:order``,
``ui:widget`` (``textarea``, ``radio``, ``select``, ``checkbox``), ``ui:help``, ``ui:title``,
``ui:placeholder`` and ``ui:enumNames``. Enum labels may also come from ``oneOf`` entries with
``const`` and ``title``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from service import limits
from service.actions.task_documents import is_file
from service.definitions.forms import Form
from service.errors import FieldError
from service.web import form_errors

RADIO_UP_TO = 4  # enums with this many options or fewer are radio buttons unless told otherwise


@dataclass(frozen=True)
class FormField:
    """One input of a generated form."""

    name: str
    label: str
    # text | textarea | number | integer | date | checkbox | radio | select | checkboxes | lines | json
    # | group (an object: a fieldset of its own fields) | file | files (documents)
    widget: str
    required: bool = False
    help: str | None = None
    placeholder: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    values: list[Any] = field(default_factory=list)  # enum values, in the order of ``options``
    children: list[FormField] = field(default_factory=list)  # the fields of a "group" (an object)

    @property
    def id(self) -> str:
        """Return the HTML id of the field (dotted paths of nested fields use "__")."""
        return "field-" + self.name.replace(".", "__")


def leaves(fields: Sequence[FormField]) -> Iterator[FormField]:
    """Yield every input of a form, the fields of groups included."""
    for f in fields:
        if f.widget == "group":
            yield from leaves(f.children)
        else:
            yield f


def build(
    schema: Mapping[str, Any] | None, ui: Mapping[str, Any] | None, prefix: str = ""
) -> list[FormField]:
    """Return the form's fields in ``ui:order`` (then schema) order; objects become groups."""
    if not schema:
        return []
    ui = ui or {}
    properties: Mapping[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    order = [n for n in ui.get("ui:order", []) if n in properties]
    order += [n for n in properties if n not in order]
    return [_field(prefix + name, properties[name], ui.get(name, {}), name in required) for name in order]


def _field(name: str, prop: Mapping[str, Any], ui: Mapping[str, Any], required: bool) -> FormField:
    short = name.rsplit(".", 1)[-1]
    label = ui.get("ui:title") or prop.get("title") or short.replace("_", " ").capitalize()
    widget, attrs, (values, labels), children = _input(name, prop, ui)
    return FormField(
        name=name,
        label=str(label),
        widget=widget,
        required=required,
        help=ui.get("ui:help") or prop.get("description"),
        placeholder=ui.get("ui:placeholder"),
        options=[(_text(v), str(lab)) for v, lab in zip(values, labels, strict=True)],
        attrs=attrs,
        values=list(values),
        children=children,
    )


Choices = tuple[list[Any], list[str]]


def _input(
    name: str, prop: Mapping[str, Any], ui: Mapping[str, Any]
) -> tuple[str, dict[str, Any], Choices, list[FormField]]:
    """Return the widget of a property, its HTML attributes, its choices and (groups) its fields."""
    choices = _enum(prop, ui)
    kind = prop.get("type")
    widget = ui.get("ui:widget")
    items: Mapping[str, Any] = prop["items"] if isinstance(prop.get("items"), Mapping) else {}
    if is_file(prop):  # documents: attached when the task is completed (actions.task_documents)
        return "file", _accept(prop), choices, []
    if kind == "array" and is_file(items):
        return "files", _accept(items), choices, []
    if kind == "object" and prop.get("properties"):
        return "group", {}, choices, build(prop, ui, prefix=name + ".")
    if choices[0]:
        picked = (
            widget
            if widget in ("radio", "select")
            else ("radio" if len(choices[0]) <= RADIO_UP_TO else "select")
        )
        return picked, {}, choices, []
    if kind == "array" and _enum(items, {})[0]:
        return "checkboxes", {}, _enum(items, ui.get("items") or ui), []
    if kind == "array" and items.get("type") == "string" and "format" not in items:
        return "lines", _lengths(items), choices, []  # one item per line
    if kind == "boolean":
        return "checkbox", {}, choices, []
    if kind in ("number", "integer"):
        return str(kind), {k: prop[k] for k in ("minimum", "maximum") if k in prop}, choices, []
    if kind == "string" and prop.get("format") == "date":
        return "date", {}, choices, []
    if kind == "string":
        return ("textarea" if widget == "textarea" else "text"), _lengths(prop), choices, []
    return "json", {}, choices, []


def _accept(prop: Mapping[str, Any]) -> dict[str, Any]:
    media = prop.get("contentMediaType")
    return {"accept": media} if isinstance(media, str) else {}


def _lengths(prop: Mapping[str, Any]) -> dict[str, Any]:
    found = {"maxlength": prop.get("maxLength"), "minlength": prop.get("minLength")}
    return {k: v for k, v in found.items() if v is not None}


def _enum(prop: Mapping[str, Any], ui: Mapping[str, Any]) -> tuple[list[Any], list[str]]:
    if "enum" in prop:
        values = list(prop["enum"])
        names = ui.get("ui:enumNames") or []
        labels = [names[i] if i < len(names) else _text(v) for i, v in enumerate(values)]
        return values, labels
    choices = [c for c in prop.get("oneOf", []) if isinstance(c, Mapping) and "const" in c]
    return [c["const"] for c in choices], [c.get("title") or _text(c["const"]) for c in choices]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def coerce(
    fields: Sequence[FormField], posted: Mapping[str, list[str]]
) -> tuple[dict[str, Any], list[FieldError]]:
    """Turn posted strings into typed data; empty inputs are left out (so "required" can say so)."""
    data: dict[str, Any] = {}
    errors: list[FieldError] = []
    for f in fields:
        short = f.name.rsplit(".", 1)[-1]
        if f.widget == "group":
            inner, inner_errors = coerce(f.children, posted)
            errors += inner_errors
            if inner or f.required:  # a required group is sent even empty, so its fields are named
                data[short] = inner
            continue
        raw = [v for v in posted.get(f.name, []) if v != ""]
        if f.widget in ("file", "files"):
            continue  # posted text never stands for a document: the completion attaches the files
        if f.widget == "checkbox":
            data[short] = bool(raw)
        elif f.widget == "checkboxes":
            chosen = [f.values[i] for i, (value, _) in enumerate(f.options) if value in raw]
            if len(chosen) != len(set(raw)):
                errors.append(FieldError(f.name, f"Choose from the options shown for \u201c{f.label}\u201d"))
            data[short] = chosen
        elif f.widget == "lines":
            lines = [line.strip() for text in raw for line in text.splitlines() if line.strip()]
            if lines or f.required:
                data[short] = lines
        elif raw and raw[0].strip():
            try:
                data[short] = _one(f, raw[0])
            except ValueError as exc:
                errors.append(FieldError(f.name, str(exc)))
    return data, errors


def _one(f: FormField, text: str) -> Any:
    if f.widget in ("radio", "select"):
        for i, (value, _) in enumerate(f.options):
            if value == text:
                return f.values[i]
        raise ValueError(f"Choose one of the options for \u201c{f.label}\u201d")
    if f.widget == "integer":
        try:
            return int(text.strip())
        except ValueError:
            raise ValueError(f"Enter a whole number for \u201c{f.label}\u201d, like 12") from None
    if f.widget == "number":
        try:
            number = float(text.strip())
        except ValueError:
            raise ValueError(f"Enter a number for \u201c{f.label}\u201d, like 12.5") from None
        return int(number) if number.is_integer() and "." not in text else number
    if f.widget == "json":
        return _json(text)
    return text


def _json(text: str) -> Any:
    try:
        value = limits.loads(text)
    except limits.TooDeep:
        raise ValueError(f"Enter JSON nested at most {limits.MAX_JSON_DEPTH} levels deep") from None
    except ValueError:
        raise ValueError("Enter valid JSON") from None
    if limits.flaws(value):  # an escaped NUL in the JSON text is one too
        raise ValueError("Enter JSON without control characters")
    return value


def friendly(errors: Sequence[FieldError], fields: Sequence[FormField]) -> list[FieldError]:
    """Say what went wrong the way a form does, one sentence per field, in the form's order."""
    return form_errors.explain(errors, list(leaves(fields)))


@dataclass(frozen=True)
class FormPost:
    """A task's form as the browser posted it (strings per input), read against the task's form."""

    posted: Mapping[str, list[str]]

    def read(self, form: Form) -> tuple[dict[str, Any], list[FieldError]]:
        """Turn the posted strings into typed data, with the inputs that could not be read."""
        return coerce(build(form.schema, form.ui), self.posted)

    def explain(self, form: Form, errors: list[FieldError]) -> list[FieldError]:
        """Say what went wrong the way the form does."""
        return friendly(errors, build(form.schema, form.ui))

    def recorded(self) -> dict[str, list[str]]:
        """Return the posted values, as typed."""
        return dict(self.posted)

    def kept(self, form: Form) -> dict[str, list[str]]:
        """Return the posted values of the form's own inputs (a draft keeps nothing else)."""
        return {f.name: list(self.posted.get(f.name, [])) for f in leaves(build(form.schema, form.ui))}
