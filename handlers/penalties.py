"""Penalty ceilings for failing to produce a demanded entry record (§163.6(b)(1)).

Per release of merchandise: a willful failure, the lesser of $100,000 or 75 percent of the
appraised value; a negligent one, the lesser of $10,000 or 40 percent. The amounts and percents
are rows of the decision table ``processes/penalty_ceiling.dmn``, which the diagram evaluates and
passes in (``Limits``); ``CEILINGS`` keeps the same rows for cases started on a diagram version
from before the table (they pass none). The arithmetic stays here, in exact Decimals, rounded
down to the cent so the ceiling never exceeds what the rule allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

CITATION = "§163.6(b)(1)"
CEILINGS = {
    # culpability: (maximum per release, share of the appraised value of the release)
    "willful": (Decimal("100000"), Decimal("0.75")),  # §163.6(b)(1)(i)
    "negligent": (Decimal("10000"), Decimal("0.40")),  # §163.6(b)(1)(ii)
}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Limits:
    """A row of the penalty ceiling table: the maximum per release and the percent of its value."""

    maximum: Decimal
    percent: Decimal

    @classmethod
    def of(cls, culpability: str, maximum: object = None, percent: object = None) -> Limits:
        """Return the table's row (given) or the built-in one for cases without the table."""
        if maximum is not None and percent is not None:
            return cls(Decimal(str(maximum)), Decimal(str(percent)))
        if culpability not in CEILINGS:
            raise ValueError(f"culpability must be one of {', '.join(CEILINGS)}, not {culpability!r}")
        fixed, share = CEILINGS[culpability]
        return cls(fixed, share * 100)


@dataclass(frozen=True)
class ReleaseCeiling:
    entry_number: str
    appraised_value: Decimal
    ceiling: Decimal
    rule: str  # which limb applied: the fixed maximum or the share of value


def ceiling_for(
    appraised_value: Decimal, culpability: str, limits: Limits | None = None
) -> tuple[Decimal, str]:
    """Return the ceiling for one release and which limb of §163.6(b)(1) set it."""
    if culpability not in CEILINGS:
        raise ValueError(f"culpability must be one of {', '.join(CEILINGS)}, not {culpability!r}")
    if appraised_value < 0:
        raise ValueError("appraised value cannot be negative")
    limits = limits or Limits.of(culpability)
    maximum, share = limits.maximum, limits.percent / 100
    by_share = (appraised_value * share).quantize(CENT, rounding=ROUND_DOWN)
    if by_share < maximum:
        return by_share, f"{share * 100:.0f} % of the appraised value ({CITATION})"
    return maximum.quantize(CENT), f"the ${maximum:,.0f} maximum ({CITATION})"


def ceilings(
    releases: list[dict[str, str]], culpability: str, limits: Limits | None = None
) -> list[ReleaseCeiling]:
    """Return the ceiling of each release of a demand."""
    found = []
    for release in releases:
        value = Decimal(str(release["appraised_value"]))
        ceiling, rule = ceiling_for(value, culpability, limits)
        found.append(ReleaseCeiling(str(release["entry_number"]), value, ceiling, rule))
    return found
