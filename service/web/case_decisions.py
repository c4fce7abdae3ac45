"""The case page's decision tables part: what each business rule task decided (``_decisions.html``)."""

from __future__ import annotations

from typing import Any

from service.views import case_decisions, decisions
from service.web.blueprint import actor, bp, services


@bp.app_context_processor
def _decisions_of_case() -> dict[str, Any]:
    def case_decisions_of(instance_id: str) -> list[decisions.TableDecision]:
        return case_decisions.for_case_page(services(), instance_id, actor())

    return {"case_decisions_of": case_decisions_of}
