"""The modeler's decision helpers: the cell-level table diff and the test bench's typing."""

from __future__ import annotations

from decimal import Decimal

from service.config import ROOT
from service.modeler import bench
from service.modeler.table_diff import compare_files

CEILING = (ROOT / "processes" / "penalty_ceiling.dmn").read_text()
WILLFUL_RULE_END = CEILING.index("</rule>") + len("</rule>")


def test_one_changed_cell_is_the_whole_diff() -> None:
    raised = CEILING.replace("<text>100000</text>", "<text>150000</text>")

    [table] = compare_files(CEILING, raised)

    assert (table["decision_id"], table["kind"], table["notes"]) == ("penalty_ceiling", "changed", [])
    [rule] = table["rules"]
    assert (rule["rule_id"], rule["kind"], rule["index"]) == ("rule_willful", "changed", 1)
    assert rule["cells"] == [
        {"column": "Maximum per release (USD)", "kind": "output", "before": "100000", "after": "150000"}
    ]


def test_an_annotation_change_is_a_cell_of_its_own() -> None:
    cited = CEILING.replace("§163.6(b)(1)(i): willful failure", "§163.6(b)(1)(i) as amended: willful failure")

    [rule] = compare_files(CEILING, cited)[0]["rules"]

    assert [c["column"] for c in rule["cells"]] == ["Annotation"]


def test_added_and_removed_rules_are_named_by_id() -> None:
    copy = CEILING[CEILING.index('<rule id="rule_willful">') : WILLFUL_RULE_END].replace(
        "rule_willful", "rule_new"
    )
    added = CEILING[:WILLFUL_RULE_END] + copy + CEILING[WILLFUL_RULE_END:]
    without = (
        CEILING[: CEILING.index('<rule id="rule_negligent">')] + CEILING[CEILING.index("</decisionTable>") :]
    )

    assert [(r["rule_id"], r["kind"]) for r in compare_files(CEILING, added)[0]["rules"]] == [
        ("rule_new", "added")
    ]
    assert [(r["rule_id"], r["kind"], r["index"]) for r in compare_files(CEILING, without)[0]["rules"]] == [
        ("rule_negligent", "removed", 2)
    ]


def test_a_hit_policy_change_is_noted_and_an_unchanged_file_has_no_diff() -> None:
    first = CEILING.replace('hitPolicy="UNIQUE"', 'hitPolicy="FIRST"')

    assert compare_files(CEILING, first)[0]["notes"] == ["hit policy UNIQUE → FIRST"]
    assert compare_files(CEILING, CEILING) == []


def test_the_bench_asks_for_the_variables_the_input_columns_read() -> None:
    assert bench.fields(CEILING) == {
        "penalty_ceiling": [{"name": "violation_willful", "column": "Culpability", "typeRef": ""}]
    }
    assert bench.fields("<not a table") == {}


def test_the_bench_reads_typed_text_as_case_data_holds_it() -> None:
    typed = bench.typed(
        {"a": "12", "b": "12.5", "c": "true", "d": "yes", "e": "", "f": '{"certified": "yes"}', "g": 3}
    )

    assert typed == {"a": 12, "b": 12.5, "c": True, "d": "yes", "e": None, "f": {"certified": "yes"}, "g": 3}
    assert bench.plain({"x": Decimal("100000"), "y": Decimal("0.75")}) == {"x": 100000, "y": "0.75"}
