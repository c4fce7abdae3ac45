"""The task page: see the task and its case, save a draft, complete it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from service.actions import drafts, tasks
from service.errors import Conflict, FieldError, InvalidData
from service.views import taskpage
from service.views.taskpage import TaskPage
from service.web import phrases, webform
from service.web.blueprint import actor, bp, services

NOT_FIELDS = {"csrf_token", "action"}


def _posted() -> webform.FormPost:
    return webform.FormPost({k: request.form.getlist(k) for k in request.form if k not in NOT_FIELDS})


def _shown(
    page: TaskPage, values: dict[str, list[str]] | None = None, errors: Sequence[FieldError] = ()
) -> dict[str, Any]:
    """Return what the task template shows of a task page (the form as its inputs)."""
    task = page.task
    return {
        "task": {**task.__dict__, "title": task.label, "days_left": page.days_left, "urgency": page.urgency},
        "case": {
            "id": page.case.id,
            "businessKey": page.case.business_key,
            "status": page.case.status,
            "processName": page.case.process_name,
            "applicant": page.case.applicant,
        },
        "facts": page.facts,
        "fields": webform.build(page.form.schema, page.form.ui),
        "values": page.draft if values is None else values,
        "draftSavedAt": page.draft_saved_at,
        "mayWork": page.may_work,
        "assignable": page.assignable,
        "errors": list(errors),
    }


@bp.get("/tasks/<task_id>", endpoint="task")
def task_page(task_id: str) -> Any:
    return render_template("web/task.html", **_shown(taskpage.page(services(), task_id, actor())))


@bp.post("/tasks/<task_id>")
def task_submit(task_id: str) -> Any:
    posted = _posted()
    try:
        if request.form.get("action") == "draft":
            drafts.save(services(), task_id, actor(), posted)
            flash("Draft saved. The task stays open in your list.", "success")
            return redirect(url_for("web.task", task_id=task_id), 303)
        done = tasks.complete(services(), task_id, posted, actor(), must_hold=True)
    except InvalidData as exc:
        shown = _shown(taskpage.page(services(), task_id, actor()), dict(posted.posted), exc.errors)
        return render_template("web/task.html", **shown), 422
    except Conflict as exc:
        return render_template("web/stale.html", error=exc, task_id=task_id), 409
    flash(phrases.completed(done), "success")
    return redirect(url_for("web.inbox"), 303)
