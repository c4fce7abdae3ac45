"""Issued notices as the integrator API shows them, read through a small port.

The notices themselves (stored, immutable documents with their PDF) belong to the program's
notification service. The API reads them through ``NoticeDirectory``; the adapter is wired in
``services.extras["notice_directory"]``. Until one is wired, no notice exists (empty lists, 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from service.errors import NotFound

if TYPE_CHECKING:
    from service.bootstrap import Services

EXTRA = "notice_directory"


@dataclass(frozen=True)
class Notice:
    """One issued notice (what the API needs of it)."""

    id: str
    kind: str
    issued_at: datetime
    business_key: str | None
    title: str | None = None
    instance_id: str | None = None
    recipient: str | None = None
    citation: str | None = None
    text: str | None = None
    delivery_status: str | None = None


class NoticeDirectory(Protocol):
    def by_business_key(self, business_key: str) -> list[Notice]:
        """Return the notices of one case, oldest first."""
        ...

    def get(self, notice_id: str) -> Notice | None: ...

    def pdf(self, notice_id: str) -> bytes | None:
        """Return the notice's PDF as issued (None when there is none)."""
        ...


class NoNotices:
    """The directory before the notification service is wired: nothing was issued."""

    def by_business_key(self, business_key: str) -> list[Notice]:
        return []

    def get(self, notice_id: str) -> Notice | None:
        return None

    def pdf(self, notice_id: str) -> bytes | None:
        return None


def directory(services: Services) -> NoticeDirectory:
    found: NoticeDirectory = services.extras.get(EXTRA) or NoNotices()
    return found


def view(n: Notice) -> dict[str, Any]:
    return {
        "id": n.id,
        "kind": n.kind,
        "title": n.title,
        "businessKey": n.business_key,
        "processInstanceId": n.instance_id,
        "recipient": n.recipient,
        "issued": n.issued_at.isoformat(),
        "citation": n.citation,
        "text": n.text,
        "deliveryStatus": n.delivery_status,
        "pdf": f"/api/v1/notices/{n.id}/pdf",
    }


def for_case(services: Services, business_key: str) -> list[dict[str, Any]]:
    """List the notices issued in the case with ``business_key``."""
    return [view(n) for n in directory(services).by_business_key(business_key)]


def notice(services: Services, notice_id: str) -> dict[str, Any]:
    found = directory(services).get(notice_id)
    if found is None:
        raise NotFound(f"notice {notice_id} does not exist", noticeId=notice_id)
    return view(found)


def notice_pdf(services: Services, notice_id: str) -> bytes:
    content = directory(services).pdf(notice_id)
    if content is None:
        raise NotFound(f"notice {notice_id} has no PDF", noticeId=notice_id)
    return content
