"""The inbox lists, saved filters, and claiming, unclaiming and reassigning tasks."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import flash, redirect, render_template, request, url_for

from service.actions import filters, tasks
from service.errors import Conflict, InvalidData
from service.views import inbox, labels
from service.web import boundary, security
from service.web.blueprint import actor, bp, services


@bp.before_request
def _plain_text_only() -> None:
    # Every page's query and form are read here first (the inbox search, task forms, filters,
    # sign-in): a NUL byte would otherwise reach PostgreSQL and fail there.
    boundary.check_request(request.view_args, request.args.items(multi=True), request.form.items(multi=True))


def _back(default: str | None = None) -> str:
    """Return the inbox URL the form came from (kept in a hidden field), or the inbox."""
    return security.local_path(request.form.get("back"), default or url_for("web.inbox"))


@bp.get("/")
def home() -> Any:
    # Where sign-in lands by default: analysts who work no task lane model, everyone else works tasks.
    if inbox.lands_in_modeler(actor()):
        return redirect(url_for("modeler.index"))
    return redirect(url_for("web.inbox"))


@bp.get("/inbox", endpoint="inbox")
def inbox_page() -> Any:
    query = inbox.InboxQuery.from_args(request.args)
    found = inbox.page(services(), actor(), query)
    return render_template(
        "web/inbox.html",
        page=found,
        url=lambda **changes: url_for("web.inbox") + _query_string(query.to_args(**changes)),
        here=url_for("web.inbox") + _query_string(query.to_args()),
    )


def _query_string(args: dict[str, str]) -> str:
    return f"?{urlencode(args)}" if args else ""


@bp.post("/inbox/filters")
def save_filter() -> Any:
    query = inbox.InboxQuery.from_args(request.form)
    try:
        filters.save(services(), actor(), request.form.get("name", ""), query)
    except InvalidData as exc:
        flash(exc.errors[0].message if exc.errors else exc.detail, "error")
    else:
        flash(f"Filter \u201c{request.form.get('name', '').strip()}\u201d saved.", "success")
    return redirect(url_for("web.inbox") + _query_string(query.to_args()), 303)


@bp.post("/inbox/filters/<int:filter_id>/delete")
def delete_filter(filter_id: int) -> Any:
    filters.delete(services(), actor(), filter_id)
    flash("Saved filter deleted.", "success")
    return redirect(_back(), 303)


@bp.post("/tasks/<task_id>/claim")
def claim(task_id: str) -> Any:
    try:
        task = tasks.claim(services(), task_id, actor())
    except Conflict as exc:
        holder = exc.extra.get("assignee")
        message = f"This task is already claimed by {holder}." if holder else exc.detail
        flash(message, "error")
        return redirect(_back(), 303)
    flash(f"You claimed \u201c{task.label}\u201d.", "success")
    return redirect(url_for("web.task", task_id=task_id), 303)


@bp.post("/tasks/<task_id>/unclaim")
def unclaim(task_id: str) -> Any:
    try:
        task = tasks.unclaim(services(), task_id, actor())
    except Conflict as exc:
        flash(exc.detail, "error")
        return redirect(_back(), 303)
    flash(f"\u201c{task.label}\u201d is back in the {labels.group_title(task.lane)} queue.", "success")
    return redirect(_back(), 303)


@bp.post("/tasks/<task_id>/reassign")
def reassign(task_id: str) -> Any:
    assignee = request.form.get("assignee") or None
    try:
        task = tasks.reassign(services(), task_id, actor(), assignee)
    except (Conflict, InvalidData) as exc:
        flash(exc.errors[0].message if isinstance(exc, InvalidData) and exc.errors else exc.detail, "error")
        return redirect(url_for("web.task", task_id=task_id), 303)
    name = task.label
    flash(
        f"\u201c{name}\u201d is now assigned to {assignee}."
        if assignee
        else f"\u201c{name}\u201d is back in its queue.",
        "success",
    )
    return redirect(_back(url_for("web.task", task_id=task_id)), 303)
