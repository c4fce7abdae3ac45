"""Scripts that would exhaust memory are refused before they build it, in a child we can lose.

Each payload runs in a subprocess held to 1 GB of address space, with a time limit long enough
that only the size guards can stop it: unguarded, each takes gigabytes (in one operation or in a
few), so the child dies or answers ``MemoryError``; guarded, each is refused with a message
saying what it would have built.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_script_policy import _run_script

ROOT = Path(__file__).resolve().parents[2]
MEMORY = 1 << 30  # the child's address space: far more than any guarded step needs
PEAK = 512 << 20  # what the child may use at most, interpreter and libraries included
ROW = "row = 'x' * 999999\n"
SHARED = ROW + "rows = []\nfor i in range(5000):\n    rows.append(row)\n"  # 5 G characters as text
NUMBERS = "big = [0] * 999999\nrefs = []\nfor i in range(5000):\n    refs.append(big)\n"
ONE_VALUE = "diagram scripts may build at most 1,000,000"
ONE_STEP = "a diagram script step may build at most"

PAYLOADS: dict[str, tuple[str, str]] = {
    "str of a shared list": ("n = len(str(['x' * 999999] * 5000))", ONE_VALUE),
    "str of a list built in a loop": (SHARED + "n = len(str(rows))", ONE_VALUE),
    "str by keyword": (SHARED + "n = len(str(object=rows))", ONE_VALUE),
    "f-string": (SHARED + 'n = len(f"{rows}")', ONE_VALUE),
    "f-string !r": (SHARED + 'n = len(f"{rows!r}")', ONE_VALUE),
    "f-string with a spec": (SHARED + 'n = len(f"{rows!s:>10}")', ONE_VALUE),
    "%s": (SHARED + 'n = len("%s" % (rows,))', ONE_VALUE),
    "%r of a dict": (SHARED + 'n = len("%r" % {"rows": rows})', ONE_VALUE),
    "join": (SHARED + 'n = len("".join(rows))', ONE_VALUE),
    "join through the type": (SHARED + 'n = len(str.join("", rows))', ONE_VALUE),
    "join as a value": (SHARED + 'glue = ",".join\nn = len(glue(rows))', ONE_VALUE),
    "nested multiplication": ("y = [[0] * 999999] * 5000", ONE_VALUE),
    "list comprehension": ("y = [0 for a in range(100000) for b in range(100000)]", ONE_VALUE),
    "set comprehension": ("y = {(a, b) for a in range(100000) for b in range(100000)}", ONE_VALUE),
    "dict comprehension": ("y = {(a, b): 0 for a in range(100000) for b in range(100000)}", ONE_VALUE),
    "tuple of a generator": ("y = tuple(0 for a in range(100000) for b in range(100000))", ONE_VALUE),
    "sorted of a generator": ("y = sorted(a for a in range(100000) for b in range(100000))", ONE_VALUE),
    "comprehension of a range": ("y = [0 for i in range(10 ** 9)]", ONE_VALUE),
    "+= in a loop": ("s = ''\nfor i in range(1000):\n    s += 'x' * 999999", ONE_VALUE),
    "comprehension of big items": ("y = ['x' * 999999 for i in range(5000)]", ONE_STEP),
    "dict comprehension of big lists": ("y = {i: [0] * 999999 for i in range(5000)}", ONE_STEP),
    "kept in a loop": ("keep = []\nfor i in range(5000):\n    keep.append('x' * 999999)", ONE_STEP),
    "copies kept in a loop": (
        ROW + "keep = []\nfor i in range(5000):\n    keep.append(row.upper())",
        ONE_STEP,
    ),
    "slices kept in a loop": (ROW + "keep = []\nfor i in range(5000):\n    keep.append(row[1:])", ONE_STEP),
    "splits kept in a loop": (
        "s = 'x ' * 400000\nkeep = []\nfor i in range(5000):\n    keep.append(s.split())",
        ONE_STEP,
    ),
    "copies of shared lists": (NUMBERS + "copies = list(map(list, refs))", ONE_STEP),
    "spread in a display": (NUMBERS + "y = [" + "*big, " * 2000 + "]", ONE_STEP),
}

CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
from tests.unit.test_script_policy import _run_script
answers = {{}}
for name, script in json.loads(sys.stdin.read()).items():
    try:
        status, seen = _run_script(script, time_limit=120)
        answers[name] = {{"status": status, "failures": seen["failures"]}}
    except BaseException as exc:  # the child must answer for every payload
        answers[name] = {{"status": "crashed", "failures": [repr(exc)]}}
# The child's own high-water mark (VmHWM, KiB): ru_maxrss would also count the parent's resident
# size at fork, which Linux carries across exec, and a long test run's parent is large.
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) * 1024
print(json.dumps({{"answers": answers, "peak": peak}}))
"""


@pytest.fixture(scope="module")
def answers() -> dict[str, Any]:
    scripts = {name: script for name, (script, _) in PAYLOADS.items()}
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(memory=MEMORY)],
        input=json.dumps(scripts),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, f"the child died ({done.returncode}): {done.stderr[-2000:]}"
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    # Every payload was refused before it piled up: the child never came near its 1 GB.
    assert result["peak"] < PEAK, f"the child's memory peaked at {result['peak']:,} bytes"
    answers: dict[str, Any] = result["answers"]
    return answers


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_a_payload_that_would_exhaust_memory_is_refused_with_a_clear_error(
    answers: dict[str, Any], name: str
) -> None:
    answer = answers[name]

    assert answer["status"] == "error", answer
    [failure] = answer["failures"]
    assert PAYLOADS[name][1] in failure
    assert "MemoryError" not in failure


def test_the_findings_own_payloads_are_refused_too() -> None:
    for script in ("n = len(str(['x' * 999999] * 50))", "y = [[0] * 999999] * 5"):
        status, seen = _run_script(script)
        assert status == "error"
        assert ONE_VALUE in seen["failures"][0]


def test_the_raw_builtin_behind_a_guarded_one_is_out_of_reach() -> None:
    for script in ("raw = str.kind", "raw = str._kind", "raw = list.kind"):
        status, seen = _run_script(script)
        assert status == "error", script
        assert "kind" in seen["failures"][0]


def test_a_refusal_names_the_size_it_would_have_built() -> None:
    status, seen = _run_script("y = [[0] * 999999] * 5")

    assert status == "error"
    assert "5,000,000 items" in seen["failures"][0]


ORDINARY = """rows = [{"n": n, "name": f"r{n}"} for n in range(5)]
names = {r["name"] for r in rows}
index = {r["name"]: r["n"] for r in rows}
evens = tuple(n for n in range(10) if n % 2 == 0)
text = str(rows) + str(12) + str() + str(b"x", "ascii")
typed = [isinstance("a", str), isinstance(1, (str, int)), isinstance([], dict), isinstance({}, dict)]
upper = str.upper("abc") + str.join("-", ["a", "b"])
glue = ", ".join
joined = glue(map(str, range(3)))
keys = dict.fromkeys(["a", "b"], 0)
merged = [*evens, *[7, 8]]
ordered = sorted(rows, key=lambda r: -r["n"])[0]["n"]
shown = f"{rows[0]}|{evens!r}|{'x'}|{3.5:.1f}"
percent = "%s and %r" % (rows[1], "y")
listed = list("abc") + list(range(2)) + list({"k": 1})
frozen = sorted(frozenset([3, 1]))
sliced = [[1, 2, 3][1:], "abcdef"[::-2], (1, 2, 3)[:-1], "abc"[5:], [0, 1][-1:]]
copied = ["ab".upper(), {"a": 1}.copy(), "a b".split(), "x,y".partition(","), {1, 2}.union([3])]
"""


def test_ordinary_code_under_the_guards_gives_the_same_values_as_plain_python() -> None:
    plain: dict = {}
    exec(ORDINARY, plain)  # the same script, unguarded
    plain = {k: v for k, v in plain.items() if k not in ("__builtins__", "glue")}

    status, seen = _run_script(ORDINARY)

    assert status == "completed", seen["failures"]
    assert {k: seen["data"][k] for k in plain} == plain


def test_a_script_leaving_too_much_data_is_refused_naming_the_largest_variables() -> None:
    script = "small = 1\nfirst = 'x' * 700000\nsecond = ['y' * 600000]"

    status, seen = _run_script(script)

    assert status == "error"
    [failure] = seen["failures"]
    assert "the limit for one case (RCP_MAX_CASE_DATA)" in failure
    assert failure.index("'first'") < failure.index("'second'") < failure.index("'small'")
    assert not {"small", "first", "second"} & set(seen["data"])
