"""Does a message fit a waiting subscription? One rule for routing and for buffered messages."""

from __future__ import annotations

from typing import Any


def correlates(expected: dict[str, Any], given: dict[str, Any]) -> bool:
    """Does a message with ``given`` correlation keys fit a subscription expecting ``expected``?"""
    # A key the integrator sends must agree with the instance's value for it; keys the instance
    # does not correlate on are ignored (the business key already narrowed the candidates).
    return all(expected[k] == v for k, v in given.items() if k in expected)
