"""§163.6(b)(1) penalty ceilings per release, exact to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.penalties import ceiling_for, ceilings


@pytest.mark.parametrize(
    ("value", "culpability", "ceiling", "limb"),
    [
        ("12000.00", "willful", "9000.00", "75 % of the appraised value"),
        ("133333.33", "willful", "99999.99", "75 % of the appraised value"),  # rounded down, never up
        ("133333.34", "willful", "100000.00", "the $100,000 maximum"),
        ("1000000", "willful", "100000.00", "the $100,000 maximum"),
        ("24999.99", "negligent", "9999.99", "40 % of the appraised value"),
        ("25000", "negligent", "10000.00", "the $10,000 maximum"),
        ("0", "negligent", "0.00", "40 % of the appraised value"),
    ],
)
def test_the_ceiling_is_the_lesser_of_the_maximum_and_the_share_of_value(
    value: str, culpability: str, ceiling: str, limb: str
) -> None:
    found, rule = ceiling_for(Decimal(value), culpability)

    assert str(found) == ceiling
    assert rule.startswith(limb) and rule.endswith("(§163.6(b)(1))")


def test_each_release_of_a_demand_has_its_own_ceiling() -> None:
    found = ceilings(
        [
            {"entry_number": "E-1", "appraised_value": "200000"},
            {"entry_number": "E-2", "appraised_value": "40000"},
        ],
        "willful",
    )

    assert [(c.entry_number, str(c.ceiling)) for c in found] == [("E-1", "100000.00"), ("E-2", "30000.00")]


def test_an_unknown_culpability_is_refused() -> None:
    with pytest.raises(ValueError, match="willful, negligent"):
        ceiling_for(Decimal("10"), "careless")
