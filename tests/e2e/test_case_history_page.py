"""The case page's history: every round, decision, message and family notice, in the order it ran."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html

from service import create_app
from service.clock import MovableClock
from tests.e2e.inbox_world import World
from tests.integration.api.test_cases import NUMBER, ROUNDS, _approved, _three_rounds_then_denied
from tests.program_support import Case, moment, program_services


@pytest.fixture
def world(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[World]:
    services = program_services(db_url, tmp_path, clock)
    yield World(services, create_app(services=services))
    services.close()


def _history(page: str) -> list[str]:
    tree = html.fromstring(page)
    items = tree.xpath("//section[@aria-labelledby='history-title']//li/p")
    return [" ".join(p.text_content().split()) for p in items]


def test_the_case_page_lists_each_round_each_decision_and_the_appeal_s_notices_in_run_order(
    world: World, clock: MovableClock
) -> None:
    case = _three_rounds_then_denied(world.services, clock)
    denial = case.notice("denial")["noticeNumber"]
    clock.set(moment("2026-01-28"))
    case.deliver(
        "appeal_received", {"notice_number": denial}, received_on="2026-01-28", grounds="Designated."
    )
    case.complete("decide_denial_appeal", {"appeal_outcome": "upheld", "appeal_reasons": "Not designated."})

    page = world.client("sam").get(f"/cases/{case.id}")

    assert page.status_code == 200
    shown = _history(page.text)
    suspended = [s for s in shown if "Review suspended" in s]
    resumed = [s for s in shown if "Review resumed" in s]
    assert [s.split(": ", 1)[1] for s in suspended] == [
        f"Review suspended: information request {NUMBER}-IR{n}" for n in (1, 2, 3)
    ]
    assert len(resumed) == 3
    assert sum("Message received: the requested information, by intake (integrator)" in s for s in shown) == 3
    assert any("Approve or deny the application completed, by dora" in s for s in shown)
    assert any("Decide the denial appeal completed, by hank" in s for s in shown)
    assert any("Message received: an appeal" in s for s in shown)
    decision = next(i for i, s in enumerate(shown) if "Decision on your appeal" in s)  # the appeal's notice
    denied = next(i for i, s in enumerate(shown) if "Approve or deny the application completed" in s)
    assert shown.index(suspended[0]) < shown.index(resumed[-1]) < denied < decision
    details = html.fromstring(page.text).xpath("//section[@aria-labelledby='history-title']//dd/text()")
    assert ROUNDS[2][2] in details and "deny" in details


def test_a_reviewer_reads_the_application_s_history_without_a_later_removal_s_steps(
    world: World, clock: MovableClock
) -> None:
    # Roles decide what a user sees: the removal is the Director's work, not the reviewer's.
    application = _approved(world.services, clock, NUMBER).id
    clock.set(moment("2026-03-02"))
    removal = Case.start(
        world.services,
        clock,
        "certification_removal",
        {
            "importer_number": "IOR-55-1234567",
            "proposed_grounds": ["no_valid_bond"],
            "removal_facts": "The bond lapsed.",
        },
        "RM-2026-009",
    )
    removal.complete(
        "decide_removal",
        {
            "removal_decision": "remove",
            "removal_grounds": ["no_valid_bond"],
            "removal_statement": "The bond lapsed on 2026-02-28.",
            "removal_immediate_basis": "none",
        },
    )

    as_reviewer = _history(world.client("rita").get(f"/cases/{application}").text)
    as_supervisor = _history(world.client("sam").get(f"/cases/{application}").text)

    assert any("Decide on removal completed" in s for s in as_supervisor)
    assert not any("removal" in s.lower() for s in as_reviewer)
    assert any("Approve or deny the application completed" in s for s in as_reviewer)
