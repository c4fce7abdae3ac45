"""The case list: find any case the user may see, open or closed; save its filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import flash, redirect, render_template, request, url_for

from service.actions import filters
from service.errors import InvalidData
from service.views import case_list
from service.web.blueprint import actor, bp, services


def _query_string(args: dict[str, str]) -> str:
    return f"?{urlencode(args)}" if args else ""


@bp.get("/cases", endpoint="cases")
def cases_page() -> Any:
    query = case_list.CaseQuery.from_args(request.args)
    found = case_list.page(services(), actor(), query)
    base = url_for("web.cases")
    return render_template(
        "web/cases.html",
        page=found,
        url=lambda **changes: base + _query_string(query.to_args(**changes)),
        sort_url=lambda column: base + _query_string(query.sorted_by(column)),
        here=base + _query_string(query.to_args()),
    )


@bp.post("/cases/filters")
def save_case_filter() -> Any:
    query = case_list.CaseQuery.from_args(request.form)
    name = request.form.get("name", "")
    try:
        filters.save(services(), actor(), name, query, case_list.FILTER_KIND)
    except InvalidData as exc:
        flash(exc.errors[0].message if exc.errors else exc.detail, "error")
    else:
        flash(f"Filter \u201c{' '.join(name.split())}\u201d saved.", "success")
    return redirect(url_for("web.cases") + _query_string(query.to_args()), 303)
