"""Incidents (supervisors): the cases whose steps ran out of tries (retrying one: ``case_actions``)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from service.views import incidents
from service.web.blueprint import actor, bp, services


@bp.get("/incidents", endpoint="incidents")
def incident_list() -> Any:
    return render_template("web/incidents.html", incidents=incidents.listing(services(), actor()))
