"""Deploy-time checks of DMN files: each refusal names the file, the table and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.engine.decisions import DecisionFailed, evaluate_decision, validate_dmn
from service.engine.policy import PolicyViolation

PROCESSES = Path(__file__).resolve().parents[2] / "processes"
CEILING = (PROCESSES / "penalty_ceiling.dmn").read_text()
EFFECT = (PROCESSES / "removal_effect.dmn").read_text()


def _issues(xml: str, name: str = "penalty_ceiling.dmn") -> list[dict[str, object]]:
    return [i.as_dict() for i in validate_dmn(name, xml)]


def _changed(old: str, new: str, xml: str = CEILING) -> str:
    assert xml.count(old) == 1, old
    return xml.replace(old, new)


def test_a_cell_that_is_not_python_is_refused_on_its_rule() -> None:
    xml = _changed("<text>100000</text>", "<text>100 000 +</text>")

    [issue] = _issues(xml)

    assert issue["file"] == "penalty_ceiling.dmn"
    assert issue["elementId"] == "rule_willful"
    assert "decision 'penalty_ceiling', rule 'rule_willful' (row 1)" in str(issue["message"])
    assert "syntax error" in str(issue["message"])
    assert isinstance(issue["line"], int)
    assert issue["severity"] == "error"


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ('__import__("os").getcwd()', "'_'"),
        ("import os", "syntax error"),
        ("open('/etc/passwd').read()", "'open' is not available"),
        ("().__class__", "'_'"),
    ],
)
def test_an_import_or_escape_in_a_cell_is_refused_by_the_script_policy(cell: str, says: str) -> None:
    xml = _changed('<text>"negligent"</text>', f"<text>{cell}</text>")

    [issue] = _issues(xml)

    assert issue["elementId"] == "rule_negligent"
    assert "rule 'rule_negligent' (row 2)" in str(issue["message"])
    assert "script policy" in str(issue["message"])
    assert says in str(issue["message"])


def test_a_rule_without_a_citation_is_refused() -> None:
    xml = _changed(
        "<description>§163.6(b)(1)(ii): negligent failure: the lesser of $10,000 or 40 percent of the"
        " appraised value.</description>",
        "<description>negligent: the lesser of $10,000 or 40 percent</description>",
    )

    [issue] = _issues(xml)

    assert issue["elementId"] == "rule_negligent"
    assert "must cite the paragraph" in str(issue["message"])


@pytest.mark.parametrize("policy", ["COLLECT", "ANY", "PRIORITY", "RULE ORDER"])
def test_a_hit_policy_other_than_unique_or_first_is_refused_on_the_table(policy: str) -> None:
    xml = _changed('hitPolicy="UNIQUE"', f'hitPolicy="{policy}"')

    issues = _issues(xml)

    assert [i["elementId"] for i in issues] == ["penalty_ceiling"]
    assert issues[0]["rule"] == "hit-policy"
    assert f"hit policy {policy} is not supported" in str(issues[0]["message"])


def test_overlapping_unique_rules_are_refused_on_the_later_rule() -> None:
    xml = _changed('<text>"negligent"</text>', '<text>in ("negligent", "willful")</text>')

    [issue] = _issues(xml)

    assert issue["elementId"] == "rule_negligent"
    assert issue["rule"] == "hit-policy"
    assert "overlaps rule 'rule_willful' (row 1) under hit policy UNIQUE" in str(issue["message"])


def test_numeric_ranges_that_meet_overlap_and_ranges_that_do_not_pass() -> None:
    typed = _changed('typeRef="string"', 'typeRef="number"')
    typed = _changed(
        '<text>"willful" if violation_willful == "yes" else "negligent"</text>', "<text>amount</text>", typed
    )
    touching = _changed('<text>"willful"</text>', "<text>&lt;= 10</text>", typed)
    touching = _changed('<text>"negligent"</text>', "<text>&gt;= 10</text>", touching)
    apart = touching.replace("&gt;= 10", "&gt; 10")

    assert [i["elementId"] for i in _issues(touching)] == ["rule_negligent"]
    assert _issues(apart) == []


def test_a_first_table_may_have_a_catch_all_row() -> None:
    assert validate_dmn("who_may_apply.dmn", (PROCESSES / "who_may_apply.dmn").read_bytes()) == []


def test_an_untyped_input_and_a_mistyped_output_are_refused() -> None:
    xml = _changed(
        '<inputExpression id="input_culpability_expression" typeRef="string">',
        '<inputExpression id="input_culpability_expression">',
    )
    xml = _changed("<text>75</text>", '<text>"seventy-five"</text>', xml)

    issues = _issues(xml)

    assert [i["elementId"] for i in issues] == ["input_culpability", "rule_willful"]
    assert "needs a typeRef" in str(issues[0]["message"])
    assert "output 'ceiling_percent': 'seventy-five' is not a number" in str(issues[1]["message"])


def test_a_decision_without_a_shape_in_the_diagram_is_refused() -> None:
    xml = _changed('dmnElementRef="penalty_ceiling"', 'dmnElementRef="elsewhere"')

    [issue] = _issues(xml)

    assert issue["rule"] == "layout"
    assert issue["elementId"] == "penalty_ceiling"


def test_a_file_that_is_not_dmn_1_3_is_refused() -> None:
    old = CEILING.replace(
        "https://www.omg.org/spec/DMN/20191111/MODEL/", "http://www.omg.org/spec/DMN/20151101/dmn.xsd"
    )

    [issue] = _issues(old)

    assert issue["rule"] == "xml"
    assert "DMN 1.3" in str(issue["message"])


def test_an_entity_declaration_is_refused_before_anything_is_read() -> None:
    hostile = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + CEILING.split("?>", 1)[1]
    )

    [issue] = _issues(hostile)

    assert issue["rule"] == "xml"


def test_two_unique_rules_that_both_hit_fail_the_decision_when_run() -> None:
    # A cell the deploy check cannot read as a set (an expression) is checked when the table runs.
    xml = _changed('<text>"negligent"</text>', "<text>? == str(?)</text>")

    with pytest.raises(
        DecisionFailed, match=r"UNIQUE but rules 'rule_willful' \(row 1\), 'rule_negligent' \(row 2\)"
    ):
        evaluate_decision(xml, "penalty_ceiling", {"violation_willful": "yes"})


def test_a_value_of_the_wrong_type_fails_the_decision() -> None:
    with pytest.raises(DecisionFailed, match="input 'Basis for immediate effect' is 3 is not a string"):
        evaluate_decision(EFFECT, "removal_effect", {"removal_immediate_basis": 3})


def test_the_test_bench_runs_cells_under_the_script_policy() -> None:
    xml = _changed("<text>10000</text>", "<text>__import__('os')</text>")

    with pytest.raises(PolicyViolation):
        evaluate_decision(xml, "penalty_ceiling", {"violation_willful": "no"})


def test_no_matching_rule_gives_null_outputs_and_no_rule() -> None:
    outcome = evaluate_decision(
        _changed('<text>"negligent"</text>', '<text>"reckless"</text>'),
        "penalty_ceiling",
        {"violation_willful": "no"},
    )

    assert (outcome.rule_id, outcome.rule_index) == (None, None)
    assert outcome.outputs == {"ceiling_maximum": None, "ceiling_percent": None}


def test_a_business_rule_task_naming_no_deployed_decision_is_refused_on_its_task() -> None:
    from handlers.catalog import operations
    from handlers.registry import Registry
    from service.engine.validation import validate
    from service.engine.values import DiagramSource

    diagrams = [
        DiagramSource(n, (PROCESSES / n).read_bytes()) for n in ("certification_removal.bpmn", "appeal.bpmn")
    ]
    forms = {p.name: p.read_bytes() for p in (PROCESSES / "forms").glob("*.json")}

    report = validate(diagrams, forms, Registry.of(operations()))

    [issue] = [i.as_dict() for i in report.issues]
    assert (issue["file"], issue["elementId"]) == ("certification_removal.bpmn", "decide_removal_effect")
    assert "no decision 'removal_effect' is deployed" in str(issue["message"])
    assert isinstance(issue["line"], int)

    with_table = [*diagrams, DiagramSource("removal_effect.dmn", EFFECT.encode())]
    assert validate(with_table, forms, Registry.of(operations())).issues == []
