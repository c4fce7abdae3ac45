"""The audit log's integrity: walk its hash chain and name the first entry that breaks it."""

from __future__ import annotations

from service.services import Services
from service.store.audit_chain import ChainVerdict


def verify_chain(services: Services, batch: int = 1000) -> ChainVerdict:
    """Check every audit entry against its hash and its predecessor, ``batch`` entries at a time."""
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.audit.verify(batch)
