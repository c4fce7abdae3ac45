"""Case actions from the web: start a process; suspend, resume, cancel or retry a case, with a reason."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from service.actions import lifecycle, staff_starts
from service.errors import Conflict, FieldError, InvalidData
from service.identity.actors import STAFF_STARTS, Actor
from service.services import Services
from service.views import starts
from service.views.starts import StartForm
from service.web import security, webform
from service.web.blueprint import actor, bp, services

NOT_FIELDS = {"csrf_token", "business_key", "reason"}
Lifecycle = Callable[[Services, str, Actor, str], object]


def _cancel(services: Services, instance_id: str, actor: Actor, reason: str) -> object:
    """Cancel the case once the form's box confirms it."""
    return lifecycle.cancel(services, instance_id, actor, reason, confirmed=bool(request.form.get("confirm")))


# What each case action does, and what the user is told afterwards.
CASE_ACTIONS: dict[str, tuple[Lifecycle, str]] = {
    "suspend": (lifecycle.suspend, "Case suspended: no task, timer or message moves it until resumed."),
    "resume": (lifecycle.resume, "Case resumed."),
    "cancel": (_cancel, "Case cancelled: its open tasks and waits have ended."),
}
SAY_WHY = "Say why: the reason is recorded in the case's history with your name"
LABELS = {"businessKey": "business_key"}  # the action's field names, as the form's inputs
BLANK = {"business_key": "Enter the case number", "reason": "Say why you start the case"}


@bp.app_context_processor
def _start_link() -> dict[str, Any]:
    def may_start_cases() -> bool:
        return any(actor().may_start(key) for key in STAFF_STARTS)

    return {"may_start_cases": may_start_cases}


@bp.get("/cases/new", endpoint="start_choices")
def start_choices() -> Any:
    return render_template("web/start_case.html", choices=starts.choices(services(), actor()), form=None)


@bp.get("/cases/new/<process_key>", endpoint="start_case")
def start_page(process_key: str) -> Any:
    return _start_form(starts.start_form(services(), process_key, actor()))


@bp.post("/cases/new/<process_key>")
def start_submit(process_key: str) -> Any:
    form = starts.start_form(services(), process_key, actor())
    fields = webform.build(form.schema, form.ui)
    posted = {k: request.form.getlist(k) for k in request.form if k not in NOT_FIELDS}
    variables, errors = webform.coerce(fields, posted)
    if errors:
        return _start_form(form, webform.friendly(errors, fields), 422)
    try:
        started = staff_starts.start_by_staff(
            services(), process_key, variables, actor(),
            business_key=request.form.get("business_key", ""), reason=request.form.get("reason", ""),
        )  # fmt: skip
    except InvalidData as exc:
        return _start_form(form, webform.friendly(_renamed(exc.errors), fields), 422)
    except Conflict as exc:
        return _start_form(form, [], 409, exc)
    flash(f"Case {started.business_key} started.", "success")
    return redirect(url_for("web.case", instance_id=started.instance_id), 303)


def _renamed(errors: Sequence[FieldError]) -> list[FieldError]:
    """Name the action's fields as the form's inputs; a blank one reads as a sentence."""
    found = []
    for e in errors:
        name = LABELS.get(e.field, e.field)
        blank = e.message == "must not be blank"
        found.append(FieldError(name, BLANK.get(name, e.message) if blank else e.message))
    return found


def _start_form(
    form: StartForm, errors: Sequence[FieldError] = (), status: int = 200, conflict: Conflict | None = None
) -> Any:
    """Render the start form with the values posted (if any) and what went wrong."""
    shown = {
        "form": form,
        "fields": webform.build(form.schema, form.ui),
        "values": {k: request.form.getlist(k) for k in request.form},
        "errors": list(errors),
        "conflict": conflict,
        "openCase": conflict.extra.get("instanceId") if conflict is not None else None,
    }
    return render_template("web/start_case.html", **shown), status


def case_action(instance_id: str, action: str) -> Any:
    change, done = CASE_ACTIONS[action]
    try:
        change(services(), instance_id, actor(), request.form.get("reason", ""))
    except InvalidData as exc:
        return _reason_form(instance_id, action, exc.errors)
    flash(done, "success")
    return redirect(url_for("web.case", instance_id=instance_id), 303)


for _name in CASE_ACTIONS:  # POST /cases/<id>/suspend, /resume, /cancel (endpoints suspend_case ...)
    bp.add_url_rule(
        f"/cases/<instance_id>/{_name}",
        f"{_name}_case",
        case_action,
        methods=["POST"],
        defaults={"action": _name},
    )


@bp.post("/cases/<instance_id>/retry", endpoint="retry_case")
def retry_case(instance_id: str) -> Any:
    try:
        after = lifecycle.retry(services(), instance_id, actor(), request.form.get("reason", ""))
    except InvalidData as exc:
        return _reason_form(instance_id, "retry", exc.errors)
    if after.status == "error":  # a step that fails again keeps its incident
        flash("Tried again; the step failed again. The incident stays open.", "error")
    else:
        flash("Tried again; the case moved on.", "success")
    back = security.local_path(request.form.get("back"), url_for("web.case", instance_id=instance_id))
    return redirect(back, 303)


def _reason_form(instance_id: str, action: str, errors: Sequence[FieldError]) -> Any:
    """Show the action's short form again with what is missing; nothing was changed."""
    messages = [FieldError(e.field, SAY_WHY) if e.field == "reason" else e for e in errors]
    reason = request.form.get("reason", "")
    shown = {"instance_id": instance_id, "action": action, "errors": messages, "reason": reason}
    return render_template("web/case_action.html", **shown), 422
