"""The case page and the diagram XML its viewer draws."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template

from service.views import casefile
from service.web.blueprint import actor, bp, services


@bp.get("/cases/<instance_id>", endpoint="case")
def case_page(instance_id: str) -> Any:
    return render_template("web/case.html", **casefile.view(services(), instance_id, actor()))


@bp.get("/cases/<instance_id>/diagram.bpmn")
def case_diagram(instance_id: str) -> Any:
    xml = casefile.diagram(services(), instance_id, actor())
    return Response(xml, mimetype="application/xml")


@bp.get("/notices/<number>", endpoint="notice")
def notice_page(number: str) -> Any:
    return render_template("web/notice.html", notice=casefile.notice(services(), number, actor()))


@bp.get("/notices/<number>.pdf", endpoint="notice_pdf")
def notice_pdf(number: str) -> Any:
    pdf = casefile.notice_pdf(services(), number, actor())
    filename = "".join(c for c in number if c.isalnum() or c in "-_.") or "notice"
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}.pdf"'}
    )
