"""The task page: see the task and its case, save a draft, complete it."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from service.errors import Conflict, InvalidData
from service.views import taskpage
from service.web.blueprint import actor, bp, services

NOT_FIELDS = {"csrf_token", "action"}


def _posted() -> dict[str, list[str]]:
    return {k: request.form.getlist(k) for k in request.form if k not in NOT_FIELDS}


@bp.get("/tasks/<task_id>", endpoint="task")
def task_page(task_id: str) -> Any:
    data = taskpage.page(services(), task_id, actor())
    return render_template("web/task.html", **data, errors=[])


@bp.post("/tasks/<task_id>")
def task_submit(task_id: str) -> Any:
    posted = _posted()
    try:
        if request.form.get("action") == "draft":
            taskpage.save_draft(services(), task_id, actor(), posted)
            flash("Draft saved. The task stays open in your list.", "success")
            return redirect(url_for("web.task", task_id=task_id), 303)
        done = taskpage.submit(services(), task_id, actor(), posted)
    except InvalidData as exc:
        data = taskpage.page(services(), task_id, actor())
        return render_template("web/task.html", **{**data, "values": posted, "errors": exc.errors}), 422
    except Conflict as exc:
        return render_template("web/stale.html", error=exc, task_id=task_id), 409
    flash(done.confirmation(), "success")
    return redirect(url_for("web.inbox"), 303)
