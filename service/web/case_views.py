"""The case page and the diagram XML its viewer draws."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template

from service.cases import casefile

from . import actor, bp, services


@bp.get("/cases/<instance_id>", endpoint="case")
def case_page(instance_id: str) -> Any:
    return render_template("web/case.html", **casefile.view(services(), instance_id, actor()))


@bp.get("/cases/<instance_id>/diagram.bpmn")
def case_diagram(instance_id: str) -> Any:
    xml = casefile.diagram(services(), instance_id, actor())
    return Response(xml, mimetype="application/xml")
