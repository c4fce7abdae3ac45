"""The task page: see the task and its case, save a draft, complete it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from service.actions import documents, drafts, task_documents
from service.actions.documents import DocumentTooLarge, UnsupportedDocument
from service.errors import Conflict, FieldError, InvalidData, NotFound
from service.views import local_time, task_changes, taskpage
from service.views.taskpage import TaskPage
from service.web import phrases, webform
from service.web.blueprint import actor, bp, services

NOT_FIELDS = {"csrf_token", "action"}
DocumentRefused = (DocumentTooLarge, UnsupportedDocument)


def _posted() -> webform.FormPost:
    return webform.FormPost({k: request.form.getlist(k) for k in request.form if k not in NOT_FIELDS})


def _files() -> dict[str, list[documents.Upload]]:
    """Return the files the form carried, by input (empty inputs left out)."""
    return {
        name: [
            documents.Upload(f.filename, f.stream, name) for f in request.files.getlist(name) if f.filename
        ]
        for name in request.files
    }


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
        "context": page.context,
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
        done = task_documents.complete(services(), task_id, posted, _files(), actor(), must_hold=True)
    except DocumentRefused as exc:  # too large, or not a type the program accepts: say it by the input
        field = str(exc.extra.get("field") or "file")
        shown = _shown(
            taskpage.page(services(), task_id, actor()), dict(posted.posted), [FieldError(field, exc.detail)]
        )
        return render_template("web/task.html", **shown), exc.status
    except InvalidData as exc:
        shown = _shown(taskpage.page(services(), task_id, actor()), dict(posted.posted), exc.errors)
        return render_template("web/task.html", **shown), 422
    except Conflict as exc:
        return _stale(task_id, posted, exc)
    flash(phrases.completed(done, local_time.office_zone(services())), "success")
    return redirect(url_for("web.inbox"), 303)


def _stale(task_id: str, posted: webform.FormPost, error: Conflict) -> Any:
    """Show what changed while the form was open, with the values the user typed kept."""
    change = task_changes.last_change(services(), task_id, actor())
    said = phrases.changed(change, local_time.office_zone(services()))
    if error.extra.get("needsClaim"):
        said = str(error.detail)
    values = dict(posted.posted)
    try:
        shown = _shown(taskpage.page(services(), task_id, actor()), values)
    except (Conflict, NotFound):
        # Completed (or gone): no form to fill in any more, only the typed values to copy.
        return render_template("web/stale.html", changed=said, values=values, task_id=task_id), 409
    return render_template("web/task.html", **shown, changed=said), 409
