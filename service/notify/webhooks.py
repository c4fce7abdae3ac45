"""Send queued webhook events: signed with HMAC-SHA256, never following redirects.

This is the outbox's ``webhook`` sender: a non-2xx answer or a network error fails the attempt,
and ``service.notify.outbox`` retries it with backoff and records the receiver's answer.

Receivers check ``X-RCP-Signature: t=<unix time>,v1=<hex>`` where ``hex`` is
HMAC-SHA256(secret, "<t>.<raw body>"), and refuse old timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from service.config import Settings
    from service.services import Services
    from service.store.repositories.webhooks import WebhookRow  # notify sees rows through the store

SIGNATURE_HEADER = "X-RCP-Signature"
USER_AGENT = "rcp-webhooks/1"


class DeliveryFailed(Exception):
    """The receiver did not take the event (network error or a non-2xx answer)."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is an answer like any other non-2xx: the attempt fails


class WebhookSender:
    """Outbox sender for ``kind="webhook"`` rows (payload: webhookId and event)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.opener = urllib.request.build_opener(_NoRedirect())

    def __call__(self, payload: dict[str, Any]) -> str | None:
        with self.services.db.unit_of_work(readonly=True) as uow:
            hook = uow.webhooks.sendable(payload["webhookId"])
        if hook is None:
            return "not sent: the webhook was removed or its token revoked"
        if urlsplit(hook["url"]).scheme not in ("http", "https"):
            return "not sent: the webhook's URL is not http(s)"
        event = payload["event"]
        body = json.dumps(event, sort_keys=True, separators=(",", ":")).encode()
        timestamp = int(self.services.clock.now().timestamp())
        secret = signing_secret(self.services.settings, hook)
        request = urllib.request.Request(  # noqa: S310  (scheme checked above)
            hook["url"],
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "X-RCP-Event": event["type"],
                "X-RCP-Event-Id": event["id"],
                SIGNATURE_HEADER: sign(secret, timestamp, body),
            },
        )
        return self._post(request)

    def _post(self, request: urllib.request.Request) -> str:
        timeout = self.services.settings.api.webhook_timeout
        try:
            with self.opener.open(request, timeout=timeout) as response:
                answer = response.read(500).decode("utf-8", "replace")
                return f"{response.status} {answer}".strip()
        except urllib.error.HTTPError as exc:
            answer = exc.read(500).decode("utf-8", "replace") if exc.fp else ""
            raise DeliveryFailed(f"{exc.code} {answer}".strip()) from None
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryFailed(f"no answer: {getattr(exc, 'reason', exc)}") from None


def signing_secret(settings: Settings, row: WebhookRow) -> str:
    """Return a webhook's secret, derived from SECRET_KEY and its salt (never stored)."""
    material = f"rcp-webhook:{row['id']}:{row['salt']}".encode()
    return "whsec_" + hmac.new(settings.secret_key.encode(), material, hashlib.sha256).hexdigest()
