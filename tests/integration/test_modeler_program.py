"""The program's own diagrams open, validate and compare cleanly in the modeler."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.clock import MovableClock
from service.modeler import checks, versions
from service.services import Services
from service.store.migrate import upgrade
from tests.program_support import PROCESSES, program_services
from tests.support import ANALYST, START

KEYS = sorted(p.stem for p in PROCESSES.glob("*.bpmn"))


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    tmp = tmp_path_factory.mktemp("program")
    url = f"sqlite:///{tmp / 'rcp.db'}"
    upgrade(url)
    built = program_services(url, tmp, MovableClock(START))
    yield built
    built.close()


@pytest.mark.parametrize("key", KEYS)
def test_each_deployed_process_validates_without_a_problem(program: Services, key: str) -> None:
    opened = versions.for_editing(program, ANALYST, key)

    report = checks.validate(program, ANALYST, opened["xml"].encode())

    assert report["issues"] == []
    assert (report["ok"], report["fileName"]) == (True, opened["sourceName"])


def test_every_program_process_is_listed(program: Services) -> None:
    assert "application_review" in KEYS
    assert sorted(p["key"] for p in versions.processes(program, ANALYST)) == KEYS


def test_a_reworded_task_is_the_only_change_between_two_versions(program: Services) -> None:
    xml = versions.xml(program, ANALYST, "application_review")["xml"]
    reworded = xml.replace("Review completeness", "Review the completeness")

    result = checks.deploy(program, ANALYST, reworded.encode(), "wording")
    changes = versions.diff(program, ANALYST, "application_review", 1, 2)["changes"]

    assert [d["version"] for d in result["deployed"]] == [2]
    assert [(c["id"], [d["property"] for d in c["changes"]]) for c in changes] == [
        ("review_application", ["name"])
    ]
