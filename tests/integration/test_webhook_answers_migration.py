"""Migration 0013: webhook answers stored before the fix lose the receiver's body, keep the status."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from service.store.db import make_engine
from service.store.migrate import upgrade

INTERNAL = "ami-id\nami-launch-index\niam/security-credentials/admin-role " * 10
BEFORE = [
    ("webhook", "200 " + INTERNAL, None),
    ("webhook", None, "DeliveryFailed: 500 " + INTERNAL),
    ("webhook", None, "DeliveryFailed: no answer: [Errno 111] Connection refused"),
    ("webhook", "not sent: the webhook was removed or its token revoked", None),
    ("email", "250 2.0.0 Ok: queued as " + "x" * 300, None),
]


def test_stored_webhook_answers_keep_their_status_and_lose_the_body(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url, "0009")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for number, (kind, response, error) in enumerate(BEFORE):
                conn.execute(
                    text(
                        "INSERT INTO outbox (key, kind, payload, status, attempts, max_attempts,"
                        " last_response, last_error, created_at)"
                        " VALUES (:key, :kind, '{}', 'sent', 1, 5, :response, :error, :at)"
                    ),
                    {
                        "key": f"k{number}",
                        "kind": kind,
                        "response": response,
                        "error": error,
                        "at": datetime.now(UTC),
                    },
                )
        upgrade(url, "0013")
        with engine.connect() as conn:
            after = conn.execute(text("SELECT last_response, last_error FROM outbox ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in after[:4]] == [
        ("200", None),
        (None, "DeliveryFailed: 500"),
        (None, "DeliveryFailed: no answer: [Errno 111] Connection refused"),
        ("not sent: the webhook was removed or its token revoked", None),
    ]
    assert after[4][0] == BEFORE[4][1]  # e-mail answers are the SMTP server's, untouched
