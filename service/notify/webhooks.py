"""Send queued webhook events, signed the Standard Webhooks way, only to checked addresses.

This is the outbox's ``webhook`` sender: a non-2xx answer, a network error or a refused target
fails the attempt, and ``service.notify.outbox`` retries it with backoff. Each attempt resolves
the receiver's host again and connects to the address ``service.notify.egress`` approved (TLS is
still verified against the host name), so DNS rebinding cannot reach an internal service.
Redirects are never followed. A delivery keeps the status, the time taken and a short, cleaned
excerpt of the answer, never the receiver's body as such.

Receivers verify ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature: v1,<base64>``
(HMAC-SHA256 of ``"<id>.<timestamp>.<raw body>"`` under the ``whsec_`` secret's key) with any
Standard Webhooks library (https://www.standardwebhooks.com).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
import unicodedata
from typing import TYPE_CHECKING, Any

from service.notify import egress

if TYPE_CHECKING:
    from service.config import Settings
    from service.services import Services
    from service.store.repositories.webhooks import WebhookRow  # notify sees rows through the store

USER_AGENT = "rcp-webhooks/1"
SECRET_PREFIX = "whsec_"  # noqa: S105  (the prefix of Standard Webhooks secrets, not a secret)
EXCERPT = 200  # characters of the receiver's answer a delivery keeps
READ_LIMIT = 4096  # bytes of the answer read at most (the rest is never looked at)


class DeliveryFailed(Exception):
    """The receiver did not take the event (network error or a non-2xx answer)."""


class DeliveryRefused(DeliveryFailed):
    """The webhook's URL leads somewhere webhooks may not go: nothing was sent."""


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Return the ``webhook-signature`` value for ``body`` sent as ``message_id`` at ``timestamp``."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signing_secret(settings: Settings, row: WebhookRow) -> str:
    """Return a webhook's secret, derived from SECRET_KEY and its salt (never stored).

    The text after ``whsec_`` is the base64 form of the signing key, as Standard Webhooks
    libraries read it (64 hex digits are valid base64: secrets issued before stay valid).
    """
    material = f"rcp-webhook:{row['id']}:{row['salt']}".encode()
    return SECRET_PREFIX + hmac.new(settings.secret_key.encode(), material, hashlib.sha256).hexdigest()


def excerpt(raw: bytes) -> str:
    """Return a short, printable excerpt of a receiver's answer (control characters dropped)."""
    text = raw.decode("utf-8", "replace")
    kept = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(kept.split())[:EXCERPT]


class WebhookSender:
    """Outbox sender for ``kind="webhook"`` rows (payload: webhookId and event)."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def __call__(self, payload: dict[str, Any]) -> str | None:
        with self.services.db.unit_of_work(readonly=True) as uow:
            hook = uow.webhooks.sendable(payload["webhookId"])
        if hook is None:
            return "not sent: the webhook was removed or its token revoked"
        settings = self.services.settings
        allow = egress.AllowList.parse(settings.api.webhook_allow_hosts)
        try:
            target = egress.check(hook["url"], allow, self.services.resolve)
        except egress.UnsafeTarget as exc:
            raise DeliveryRefused(f"refused, nothing sent: {exc}") from None
        event = payload["event"]
        body = json.dumps(event, sort_keys=True, separators=(",", ":")).encode()
        timestamp = int(self.services.clock.now().timestamp())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "webhook-id": event["id"],
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(signing_secret(settings, hook), event["id"], timestamp, body),
            "X-RCP-Event": event["type"],
        }
        return post(target, body, headers, settings.api.webhook_timeout)


def post(target: egress.Target, body: bytes, headers: dict[str, str], timeout: float) -> str:
    """POST ``body`` to the checked target; return "<status> in <ms> ms: <excerpt>" for a 2xx."""
    connection = _connection(target, timeout)
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        answer = excerpt(response.read(READ_LIMIT))
    except (OSError, http.client.HTTPException) as exc:
        elapsed = round((time.monotonic() - started) * 1000)
        raise DeliveryFailed(f"no answer after {elapsed} ms: {excerpt(str(exc).encode())}") from None
    finally:
        connection.close()
    elapsed = round((time.monotonic() - started) * 1000)
    summary = f"{response.status} in {elapsed} ms" + (f": {answer}" if answer else "")
    if not 200 <= response.status < 300:
        raise DeliveryFailed(summary)  # a 3xx too: redirects are never followed
    return summary


def _connection(target: egress.Target, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        return _PinnedHTTPS(target, timeout, ssl.create_default_context())
    return _PinnedHTTP(target, timeout)


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to the checked address; ``Host`` still names the host."""

    def __init__(self, target: egress.Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        """Connect to the checked address, never resolving the name again."""
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to the checked address; SNI and the certificate check use the name."""

    def __init__(self, target: egress.Target, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self.address = target.address
        self.tls = context

    def connect(self) -> None:
        """Connect to the checked address and verify its certificate for the host name."""
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)
