"""Field errors as a form says them: one sentence per input, with its label, in the form's order.

A validator says "2026-12-20 must be on or after 2027-01-05"; the form says "Conference date must
be on or after 5 January 2027" beside the input and in the error summary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from service.errors import FieldError


class Input(Protocol):
    """What an explanation needs of a form's input (``webform.FormField``)."""

    @property
    def name(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def widget(self) -> str: ...
    @property
    def attrs(self) -> dict[str, Any]: ...


# Each sentence names the field by its label: the summary at the top of the page is read apart
# from the inputs, so "Enter a valid value" alone would not say which one.
_FRIENDLY = [
    (re.compile(r"is a required property"), "{need} for \u201c{label}\u201d"),
    (re.compile(r"is not one of"), "Choose one of the options for \u201c{label}\u201d"),
    (
        re.compile(r"is less than the minimum of (\S+)"),
        "Enter a number of at least {0} for \u201c{label}\u201d",
    ),
    (
        re.compile(r"is greater than the maximum of (\S+)"),
        "Enter a number of at most {0} for \u201c{label}\u201d",
    ),
    (
        re.compile(r"is less than or equal to the minimum of (\S+)"),
        "Enter a number above {0} for \u201c{label}\u201d",
    ),
    (
        re.compile(r"is greater than or equal to the maximum of (\S+)"),
        "Enter a number below {0} for \u201c{label}\u201d",
    ),
    (re.compile(r"is not a '(date)'"), "Enter \u201c{label}\u201d as a date, YYYY-MM-DD"),
    (
        re.compile(r"is not a 'date-time'"),
        "Enter \u201c{label}\u201d as a date and time, like 2026-01-31T14:00:00Z",
    ),
    (
        re.compile(r"is not a 'email'"),
        "Enter an e-mail address for \u201c{label}\u201d, like name@example.gov",
    ),
    (re.compile(r"is too long"), "Shorten \u201c{label}\u201d to at most {max} characters"),
    (re.compile(r"should be non-empty"), "{need} for \u201c{label}\u201d"),
    (re.compile(r"is too short"), "{short}"),
    (re.compile(r"does not match"), "Enter \u201c{label}\u201d in the expected format"),
    (re.compile(r"is not of type"), "Enter a valid value for \u201c{label}\u201d"),
]


# A date bound of the form (forms.RELATIONS): "2026-12-20 must be on or after 2027-01-05".
_BOUND = re.compile(r"must be (on or before|on or after|before|after) (\S+)$")


def _moment(text: str) -> str:
    """Say a date bound as people write dates ("5 January 2027"); a date-time stays as it is."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {day:%B %Y}"


def explain(errors: Sequence[FieldError], inputs: Sequence[Input]) -> list[FieldError]:
    """Say what went wrong the way a form does, one sentence per input, in the form's order."""
    by_name = {f.name: f for f in inputs}
    result: dict[str, FieldError] = {}
    for err in errors:
        f = _owner(err.field, by_name)
        if f is None:
            result.setdefault(err.field, err)
        elif f.name not in result:
            result[f.name] = FieldError(f.name, _sentence(err.message, f))
    order = {name: i for i, name in enumerate(by_name)}
    return sorted(result.values(), key=lambda e: order.get(e.field, len(order)))


def _sentence(said: str, f: Input) -> str:
    """Return a validator's message as the form's sentence about the field ``f``."""
    bound = _BOUND.search(said)
    if bound:
        return f"{f.label} must be {bound.group(1)} {_moment(bound.group(2))}"
    need = "Choose an option" if f.widget in ("radio", "select", "checkboxes") else "Enter a value"
    for pattern, template in _FRIENDLY:
        found = pattern.search(said)
        if found:
            return template.format(
                *found.groups(),
                need=need,
                label=f.label,
                max=f.attrs.get("maxlength", "the allowed number of"),
                short=_too_short(f, need),
            )
    # A message the form made itself (webform.coerce) already names the field.
    return said if f.label in said else f"\u201c{f.label}\u201d: {said}"


def _too_short(f: Input, need: str) -> str:
    least = f.attrs.get("minlength", 1)
    if least <= 1:
        return f"{need} for \u201c{f.label}\u201d"
    if f.widget == "lines":
        return f"Each line of \u201c{f.label}\u201d needs at least {least} characters"
    return f"Use at least {least} characters for \u201c{f.label}\u201d"


def _owner(path: str, by_name: Mapping[str, Input]) -> Input | None:
    """Return the input an error path belongs to ("conditions.2" belongs to "conditions")."""
    while path:
        if path in by_name:
            return by_name[path]
        path = path.rpartition(".")[0]
    return None
