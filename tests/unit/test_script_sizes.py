"""One operation in a diagram script cannot build a huge value: the step fails at once instead."""

from __future__ import annotations

import time

import pytest

from service.clock import MovableClock
from service.engine.functions import diagram_functions
from service.engine.policy import PolicyViolation
from service.engine.runtime import Engine
from service.engine.sizes import MAX_ITEMS, ScriptTooLarge
from tests.support import START
from tests.unit.test_script_policy import _run_script

REFUSED = "diagram scripts may build at most"


@pytest.mark.parametrize(
    "script",
    [
        's = "x" * 10 ** 10',
        "rows = [0] * 10 ** 9",
        "n = 10 ** 10 ** 9",
        "n = 1 << 10 ** 9",
        "n = (10 ** 30000) * (10 ** 30000)",
        "total = sum(range(10 ** 15))",
        "top = max(range(10 ** 15))",
        's = "x".ljust(10 ** 10)',
        's = "7".zfill(10 ** 10)',
        's = "x".center(width=10 ** 10)',
        's = ("\\t" * 1000).expandtabs(100000)',
        's = ("ab" * 1000).replace("a", "a" * 10000)',
        's = ("a" * 1000).translate({97: "b" * 10000})',
        's = ("x" * 1000).join(["y"] * 100000)',
        "rows = sum([[0] * 1000] * 2000, [])",
        "b = (1).to_bytes(10 ** 10, 'big')",
        's = f"{1:>{10 ** 10}}"',
        's = f"{1.5:.10000000000f}"',
        's = "%10000000000d" % 1',
        's = "%*d" % (10 ** 10, 1)',
        # Doubling in a loop takes a few dozen steps, far below the time limit.
        'x = ["a"]\nfor i in range(64):\n    x = x + x',
        'x = "a"\nfor i in range(64):\n    x += x',
        "x = [1]\nfor i in range(64):\n    x.extend(x)",
        "x = [1]\nfor i in range(64):\n    x *= 2",
    ],
)
def test_a_script_that_would_build_a_huge_value_fails_its_step_at_once(script: str) -> None:
    began = time.monotonic()

    status, seen = _run_script(script)

    assert status == "error"
    assert REFUSED in seen["failures"][0]
    assert time.monotonic() - began < 5


def test_the_limit_is_the_size_itself_not_one_item_less() -> None:
    assert _run_script(f's = "x" * {MAX_ITEMS}\nn = len(s)')[1]["data"]["n"] == MAX_ITEMS
    status, seen = _run_script(f's = "x" * {MAX_ITEMS + 1}')
    assert status == "error"
    assert f"{MAX_ITEMS + 1:,} items" in seen["failures"][0]


ORDINARY = """a = 6 * 7
b = 2 ** 10
c = 1 << 4
d = 17 % 5
e = "ab" * 3
f = [1] + [2]
g = "%05.1f|%-4s|%*d" % (3.14159, "x", 5, 42)
h = f"{3.14159:.2f}|{'x'!r}|{7:>4}|{'y'!s:^5}|{2.5}|{'é'!a}"
i = "7".zfill(4) + "x".ljust(3, ".") + "y".rjust(3) + "z".center(5, "*")
j = ", ".join(str(n) for n in range(3))
k = "a-b-c".replace("-", "+", 1)
m = sum([1, 2, 3]) + sum([0.5], 1)
n = list(range(10, 0, -3))
o = sum([[1], [2]], [])
p = "a\\tb".expandtabs(4)
q = "abc".translate({97: "A"})
r = (255).to_bytes(2, "big").hex()
s = 2 ** -1
t = [x * 2 for x in range(4)]
u = 10 ** 300 * 10 ** 300 > 0
v = "%d%% 5000000000 %s" % (1, "x")
"""


def test_ordinary_arithmetic_and_text_give_the_same_values_as_plain_python() -> None:
    plain: dict = {}
    exec(ORDINARY, plain)  # the same script, unguarded
    plain = {k: v for k, v in plain.items() if k != "__builtins__"}

    status, seen = _run_script(ORDINARY)

    assert status == "completed"
    assert {k: seen["data"][k] for k in plain} == plain


def test_augmented_assignment_keeps_updating_in_place() -> None:
    script = (
        "x = [1]\ny = x\nx *= 2\nx += [3]\nsame = y == [1, 1, 3]\n"
        'd = {"k": 2}\nd["k"] **= 3\nd["k"] %= 5\nn = 1\nn <<= 3'
    )

    status, seen = _run_script(script)

    assert status == "completed"
    assert seen["data"]["same"] is True
    assert seen["data"]["d"] == {"k": 3}
    assert seen["data"]["n"] == 8


def test_a_script_cannot_call_or_replace_a_guard() -> None:
    for script in ("_rcp_mul = None", "x = _rcp_mul(1, 2)"):
        status, seen = _run_script(script)
        assert status == "error"
        assert "names starting with '_' are not allowed" in seen["failures"][0]
    with pytest.raises(PolicyViolation):
        Engine(diagram_functions(MovableClock(START)), MovableClock(START)).environment.evaluate(
            "_rcp_mul", {}
        )


def test_expressions_are_guarded_too_and_task_data_cannot_shadow_a_guard() -> None:
    engine = Engine(diagram_functions(MovableClock(START)), MovableClock(START))

    with pytest.raises(ScriptTooLarge):
        engine.environment.evaluate('"x" * 10 ** 10', {})
    assert engine.environment.evaluate('"ab" * times', {"times": 2, "_rcp_mul": "not a guard"}) == "abab"
