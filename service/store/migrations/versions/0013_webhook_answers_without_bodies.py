"""Webhook deliveries stored before keep the receiver's status, not its body

Until now a delivery kept up to 500 characters of whatever the receiver answered, and
``GET /webhooks/{id}/deliveries`` handed them to the token holder: through a webhook aimed at an
internal address, an internal service's reply (issue 18, finding 1). Which stored answers came
from such a service cannot be told any more, so every stored answer of a webhook delivery keeps
only its status code (``500``, ``DeliveryFailed: 503``); the service's own messages (``no
answer: …``, ``not sent: …``) stay, cut to 200 printable characters. Nothing to undo.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 02:50:00.000000
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

STATUS = re.compile(r"^((?:[A-Za-z]+: )?[1-5][0-9][0-9])(?:\s|$)")
EXCERPT = 200


def _without_body(text: str | None) -> str | None:
    if text is None:
        return None
    status = STATUS.match(text)
    if status:
        return status.group(1)
    printable = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(printable.split())[:EXCERPT]


def upgrade() -> None:
    bind = op.get_bind()
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("last_response", sa.Text),
        sa.column("last_error", sa.Text),
    )
    rows = bind.execute(
        sa.select(outbox.c.id, outbox.c.last_response, outbox.c.last_error).where(
            outbox.c.kind == "webhook",
            sa.or_(outbox.c.last_response.is_not(None), outbox.c.last_error.is_not(None)),
        )
    ).all()
    for row in rows:
        bind.execute(
            sa.update(outbox)
            .where(outbox.c.id == row.id)
            .values(last_response=_without_body(row.last_response), last_error=_without_body(row.last_error))
        )


def downgrade() -> None:
    pass  # the bodies are gone; nothing to restore
