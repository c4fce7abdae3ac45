"""Every row of the program's DMN decision tables against the paragraph it applies."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from handlers.penalties import CEILINGS, Limits, ceiling_for
from handlers.vocabulary import IMMEDIATE_BASES, RECORDKEEPER_CLASSES
from service.engine.decisions import decision_tables, evaluate_decision, table_of, validate_dmn

PROCESSES = Path(__file__).resolve().parents[2] / "processes"
TABLES = sorted(PROCESSES.glob("*.dmn"))
DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"


def _xml(name: str) -> bytes:
    return (PROCESSES / f"{name}.dmn").read_bytes()


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_each_table_deploys_without_an_issue_and_opens_in_camunda_modeler(path: Path) -> None:
    xml = path.read_bytes()
    root = etree.fromstring(xml)

    assert validate_dmn(path.name, xml) == []
    assert root.tag == f"{{{DMN13}}}definitions"  # DMN 1.3, as Camunda Modeler 5 writes it
    [info] = decision_tables(xml)
    assert info.id == path.stem  # one decision per file, named like the file
    shapes = root.findall(".//{https://www.omg.org/spec/DMN/20191111/DMNDI/}DMNShape")
    assert [s.get("dmnElementRef") for s in shapes] == [info.id]


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_every_rule_cites_the_paragraph_it_applies(path: Path) -> None:
    table = table_of(path.read_bytes(), path.stem)

    assert table.rules
    assert all(re.search(r"§163\.\d+\(", r.annotation) for r in table.rules), table.decision_id


# §163.2(a) / §163.12(b)(1): who may apply.


@pytest.mark.parametrize("kind", sorted(RECORDKEEPER_CLASSES))
def test_each_person_section_163_2a_describes_may_apply(kind: str) -> None:
    outcome = evaluate_decision(_xml("who_may_apply"), "who_may_apply", {"recordkeeper_class": kind})

    assert outcome.outputs == {"applicant_may_apply": True}
    assert outcome.rule_id == f"rule_class_{kind}"
    assert "§163.2(a)" in (outcome.annotation or "")


@pytest.mark.parametrize("kind", ["customs_broker", "", "OWNER"])
def test_anyone_else_may_not_apply(kind: str) -> None:
    outcome = evaluate_decision(_xml("who_may_apply"), "who_may_apply", {"recordkeeper_class": kind})

    assert outcome.outputs == {"applicant_may_apply": False}
    assert outcome.rule_id == "rule_class_other"
    assert outcome.rule_index == len(RECORDKEEPER_CLASSES) + 1


def test_the_table_lists_exactly_the_classes_the_forms_offer() -> None:
    table = table_of(_xml("who_may_apply"), "who_may_apply")
    listed = {r.inputs[0].strip('"') for r in table.rules if r.inputs[0] != "-"}

    assert listed == set(RECORDKEEPER_CLASSES)


# §163.12(d)(1): notice of violation or penalty referral, and removal.

FACTS = list(itertools.product([True, False], ["yes", "no"], ["yes", "no"], [True, False]))


@pytest.mark.parametrize(("certified", "in_compliance", "willful", "repeat"), FACTS)
def test_a_notice_replaces_the_penalty_only_when_all_four_conditions_hold(
    certified: bool, in_compliance: str, willful: str, repeat: bool
) -> None:
    outcome = evaluate_decision(
        _xml("notice_or_penalty"),
        "notice_or_penalty",
        {
            "failure": {"certified": certified, "repeat": repeat},
            "violation_in_compliance": in_compliance,
            "violation_willful": willful,
        },
    )

    # The gateway conditions the diagrams had before the table, word for word (§163.12(d)(1)).
    notice = certified and in_compliance == "yes" and willful == "no" and not repeat
    removal = certified and (willful == "yes" or repeat)
    assert outcome.outputs == {
        "violation_outcome": "notice_of_violation" if notice else "penalty_referral",
        "removal_proposed": removal,
    }
    assert "§163.12(d)(1)" in (outcome.annotation or "")
    if removal:
        assert "§163.13(c)(1)(iv)" in (outcome.annotation or "") or "§163.13(c)(1)(iii)" in (
            outcome.annotation or ""
        )


# §163.6(b)(1): penalty ceilings; the rows are amounts and percents, the arithmetic is the handler's.


@pytest.mark.parametrize(
    ("willful", "culpability", "maximum", "percent", "rule"),
    [
        ("yes", "willful", 100000, 75, "rule_willful"),
        ("no", "negligent", 10000, 40, "rule_negligent"),
    ],
)
def test_each_culpability_has_its_maximum_and_percent(
    willful: str, culpability: str, maximum: int, percent: int, rule: str
) -> None:
    outcome = evaluate_decision(_xml("penalty_ceiling"), "penalty_ceiling", {"violation_willful": willful})

    assert outcome.outputs == {"ceiling_maximum": maximum, "ceiling_percent": percent}
    assert outcome.rule_id == rule
    assert outcome.inputs == {"Culpability": culpability}
    limb = "(i)" if culpability == "willful" else "(ii)"
    assert f"§163.6(b)(1){limb}" in (outcome.annotation or "")
    fixed, share = CEILINGS[culpability]
    assert Limits.of(culpability, maximum, percent) == Limits(fixed, share * 100)


@pytest.mark.parametrize("value", ["0", "13333.33", "133333.33", "133333.34", "25000", "1000000"])
@pytest.mark.parametrize("culpability", ["willful", "negligent"])
def test_ceilings_from_the_table_equal_the_rule_to_the_cent(value: str, culpability: str) -> None:
    answer = "yes" if culpability == "willful" else "no"
    row = evaluate_decision(_xml("penalty_ceiling"), "penalty_ceiling", {"violation_willful": answer}).outputs
    limits = Limits.of(culpability, row["ceiling_maximum"], row["ceiling_percent"])

    fixed, share = CEILINGS[culpability]
    expected = min(fixed, (Decimal(value) * share).quantize(Decimal("0.01"), rounding="ROUND_DOWN"))
    assert ceiling_for(Decimal(value), culpability, limits)[0] == expected


# §163.13(c)(3): when a removal takes effect.


@pytest.mark.parametrize("basis", sorted(IMMEDIATE_BASES))
def test_a_removal_for_an_immediate_basis_takes_effect_at_once(basis: str) -> None:
    outcome = evaluate_decision(_xml("removal_effect"), "removal_effect", {"removal_immediate_basis": basis})

    assert outcome.outputs == {"removal_takes_effect": "immediately"}
    assert "§163.13(c)(3)" in (outcome.annotation or "")


@pytest.mark.parametrize("basis", ["none", "other"])
def test_any_other_removal_waits_for_the_appeal_window(basis: str) -> None:
    outcome = evaluate_decision(_xml("removal_effect"), "removal_effect", {"removal_immediate_basis": basis})

    assert outcome.outputs == {"removal_takes_effect": "after_appeal_window"}
    assert outcome.rule_id == "rule_after_appeal"
    assert "§163.13(d)" in (outcome.annotation or "")


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_the_readme_shows_each_table_s_picture(path: Path) -> None:
    readme = (PROCESSES.parent / "README.md").read_text()

    assert (PROCESSES.parent / "docs" / "decisions" / f"{path.stem}.png").is_file(), (
        "run tools/render_diagrams.sh"
    )
    assert f"![{path.stem}](docs/decisions/{path.stem}.png)" in readme
