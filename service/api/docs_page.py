"""Render the OpenAPI document as one self-contained HTML page (no script, no CDN, no fonts)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from markdown import markdown

STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
header,main{max-width:960px;margin:0 auto;padding:0 1.5rem}
header{border-bottom:1px solid #ccc;padding-bottom:.5rem}
h2{border-bottom:2px solid #005ea2;padding-top:1rem}
section.op{border:1px solid #dcdcdc;border-radius:4px;margin:1rem 0;padding:.25rem 1rem}
.method{display:inline-block;min-width:4.5em;font-weight:700;color:#fff;background:#005ea2;
 border-radius:3px;text-align:center;margin-right:.5em;padding:0 .3em}
.m-get{background:#2e6b2f}.m-delete{background:#b50909}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #dcdcdc;padding:.25rem .5rem;text-align:left;vertical-align:top}
td p{margin:0}
code,pre{font-family:ui-monospace,monospace;font-size:13px}
pre{background:#f5f5f5;padding:.5rem;overflow:auto}
nav ul{columns:2}
"""


def render(doc: dict[str, Any]) -> str:
    """Return the HTML page for ``doc``."""
    info = doc["info"]
    by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]] = {t["name"]: [] for t in doc["tags"]}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            by_tag[op["tags"][0]].append((method, path, op))
    base = doc["servers"][0]["url"]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(info['title'])}</title><style>{STYLE}</style></head><body>",
        f"<header><h1>{escape(info['title'])}</h1><p>Version {escape(info['version'])} · "
        "<a href='openapi.json'>OpenAPI 3.1 document</a></p></header><main>",
        markdown(info["description"]),
        _contents(doc, by_tag),
    ]
    for tag in doc["tags"]:
        parts.append(f"<h2 id='tag-{_slug(tag['name'])}'>{escape(tag['name'])}</h2>")
        parts.append(f"<p>{escape(tag['description'])}</p>")
        parts += [_operation(method, base + path, op) for method, path, op in by_tag[tag["name"]]]
    parts.append("<h2 id='problems'>Problem types</h2><table><tr><th>type</th><th>meaning</th></tr>")
    parts += [
        f"<tr id='problem-{escape(slug)}'><td><code>{escape(slug)}</code></td><td>{markdown(text)}</td></tr>"
        for slug, text in doc.get("x-problem-types", {}).items()
    ]
    parts.append("</table><h2 id='schemas'>Schemas</h2>")
    parts += [_schema_section(name, schema) for name, schema in doc["components"]["schemas"].items()]
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower())


def _contents(doc: dict[str, Any], by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]]) -> str:
    items = []
    for tag, ops in by_tag.items():
        links = "".join(
            f"<li><a href='#op-{escape(op['operationId'])}'>{escape(m.upper())} {escape(p)}</a></li>"
            for m, p, op in ops
        )
        items.append(f"<li><a href='#tag-{_slug(tag)}'>{escape(tag)}</a><ul>{links}</ul></li>")
    return f"<nav><h2>Contents</h2><ul>{''.join(items)}</ul></nav>"


def _operation(method: str, path: str, op: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td><td>{p['in']}</td>"
        f"<td>{'yes' if p.get('required') else ''}</td><td>{type_label(p['schema'])}</td>"
        f"<td>{markdown(p.get('description', ''))}</td></tr>"
        for p in op.get("parameters", [])
    )
    params = (
        f"<table><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th></th></tr>{rows}</table>"
        if rows
        else ""
    )
    body = ""
    if "requestBody" in op:
        kinds = "; ".join(
            f"<code>{escape(media)}</code>: {type_label(c['schema'])}"
            for media, c in op["requestBody"]["content"].items()
        )
        body = f"<p>Body{' (required)' if op['requestBody']['required'] else ''}: {kinds}</p>"
    answers = "".join(
        f"<tr><td>{escape(status)}</td><td>{markdown(r['description'])}</td><td>"
        + "; ".join(type_label(c["schema"]) for c in r.get("content", {}).values())
        + "</td></tr>"
        for status, r in op["responses"].items()
    )
    return (
        f"<section class='op' id='op-{escape(op['operationId'])}'>"
        f"<h3><span class='method m-{method}'>{method.upper()}</span><code>{escape(path)}</code></h3>"
        f"<p><strong>{escape(op['summary'])}</strong></p>{markdown(op.get('description', ''))}"
        f"{params}{body}<table><tr><th>status</th><th>meaning</th><th>body</th></tr>{answers}</table>"
        "</section>"
    )


def type_label(schema: Any) -> str:
    """Describe a schema in a few words, linking named schemas."""
    if not isinstance(schema, dict):
        return ""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"<a href='#schema-{escape(name)}'>{escape(name)}</a>"
    if "enum" in schema:
        return "one of " + ", ".join(f"<code>{escape(json.dumps(v))}</code>" for v in schema["enum"])
    if "allOf" in schema:
        return " + ".join(type_label(s) for s in schema["allOf"])
    if "anyOf" in schema:
        return " or ".join(type_label(s) for s in schema["anyOf"])
    kind = schema.get("type", "any")
    kinds = kind if isinstance(kind, list) else [kind]
    words = []
    for k in kinds:
        if k == "array":
            words.append(f"array of {type_label(schema.get('items', {})) or 'any'}")
        elif k == "string" and "format" in schema:
            words.append(f"string ({escape(schema['format'])})")
        else:
            words.append(escape(str(k)))
    return " or ".join(words)


def _schema_section(name: str, schema: dict[str, Any]) -> str:
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    rows = "".join(
        f"<tr><td><code>{escape(p)}</code></td><td>{'yes' if p in required else ''}</td>"
        f"<td>{type_label(s)}</td><td>{markdown(s.get('description', ''))}</td></tr>"
        for p, s in props.items()
    )
    table = (
        f"<table><tr><th>field</th><th>required</th><th>type</th><th></th></tr>{rows}</table>" if rows else ""
    )
    closed = "<p>No other fields are accepted.</p>" if schema.get("additionalProperties") is False else ""
    raw = escape(json.dumps(schema, indent=2))
    return (
        f"<section id='schema-{escape(name)}'><h3>{escape(name)}</h3>"
        f"{markdown(schema.get('description', ''))}{table}{closed}"
        f"<details><summary>JSON Schema</summary><pre>{raw}</pre></details></section>"
    )
