"""Entries appended in one transaction chain in order, whatever their data (both backends).

On PostgreSQL the database completes each entry's hash from the chain's head as it inserts it
(no head read before the commit); ``verify`` recomputes every hash the way the chain defines it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from service.services import Services
from service.store.audit_chain import GENESIS, entry_hash

AT = datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)
DATA = [
    None,
    {"decision": "Zurückgestellt ☃", "amount": 12.5, "items": [1, None, True], "prev_hash": "x"},
    {"note": 'quotes " and \\ backslashes', "empty": {}},
]


def _append(services: Services, data: list[object]) -> None:
    with services.db.unit_of_work() as uow:
        for n, value in enumerate(data):
            uow.audit.append(
                at=AT, actor_kind="user", actor="rita", action=f"act{n}", outcome="ok", data=value
            )
        uow.commit()


def test_entries_appended_together_chain_in_order_from_the_genesis(services: Services) -> None:
    _append(services, DATA)
    _append(services, DATA[1:])

    with services.db.unit_of_work(readonly=True) as uow:
        chain = uow.audit.chain(0, 100)
        verdict = uow.audit.verify()
    assert [e["seq"] for e in chain] == [1, 2, 3, 4, 5]
    assert [e["action"] for e in chain] == ["act0", "act1", "act2", "act0", "act1"]
    assert chain[0]["prev_hash"] == GENESIS
    prev = GENESIS
    for entry in chain:
        assert entry["prev_hash"] == prev
        assert entry["hash"] == entry_hash(entry, prev)
        prev = entry["hash"]
    assert verdict.broken is None and verdict.entries == 5
