"""Incidents (supervisors): the cases whose steps ran out of tries, and retrying one after a fix."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from service.actions import lifecycle
from service.views import incidents
from service.web import security
from service.web.blueprint import actor, bp, services


@bp.get("/incidents", endpoint="incidents")
def incident_list() -> Any:
    return render_template("web/incidents.html", incidents=incidents.listing(services(), actor()))


@bp.post("/cases/<instance_id>/retry", endpoint="retry_case")
def retry_case(instance_id: str) -> Any:
    after = lifecycle.retry(services(), instance_id, actor())
    if after.status == "error":  # a step that fails again keeps its incident
        flash("Tried again; the step failed again. The incident stays open.", "error")
    else:
        flash("Tried again; the case moved on.", "success")
    back = security.local_path(request.form.get("back"), url_for("web.case", instance_id=instance_id))
    return redirect(back, 303)
