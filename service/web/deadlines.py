"""The deadline board (supervisors): open deadlines by rule, met on time vs late, a chart, a list."""

from __future__ import annotations

from typing import Any

from flask import render_template

from service.views import deadline_board
from service.web import charts
from service.web.blueprint import actor, bp, services


@bp.get("/deadlines", endpoint="deadlines")
def board_page() -> Any:
    board = deadline_board.board(services(), actor())
    return render_template("web/deadlines.html", board=board, chart=charts.met_vs_late(board["rules"]))
