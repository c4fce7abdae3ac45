"""Send outbox e-mails through an SMTP server (stdlib smtplib), with the notice PDF attached.

The outbox gives each message a Message-ID derived from its key, so a retried delivery carries
the same Message-ID and mail systems can recognise a duplicate.
"""

from __future__ import annotations

import base64
import smtplib
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate
from typing import Any


def build_message(payload: dict[str, Any], sender: str) -> EmailMessage:
    """Turn an outbox e-mail payload into a MIME message (text, then attachments)."""
    # Long subjects (notice numbers make them long) stay on one line instead of folding oddly.
    message = EmailMessage(policy=SMTP.clone(max_line_length=998))
    message["From"] = sender
    message["To"] = ", ".join(payload["to"])
    message["Subject"] = payload["subject"]
    message["Message-ID"] = payload["message_id"]
    message["Date"] = formatdate(usegmt=True)
    if payload.get("reply_to"):
        message["Reply-To"] = payload["reply_to"]
    message.set_content(payload["text"])
    for attachment in payload.get("attachments", []):
        maintype, _, subtype = attachment["content_type"].partition("/")
        message.add_attachment(
            base64.b64decode(attachment["data_base64"]),
            maintype=maintype,
            subtype=subtype,
            filename=attachment["filename"],
        )
    return message


class SmtpSender:
    """An outbox sender for kind ``email``: one SMTP session per message."""

    def __init__(self, host: str, port: int, sender: str, *, timeout: float = 30.0) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout = timeout

    def __call__(self, payload: dict[str, Any]) -> str:
        """Send one message; any SMTP or network error fails the attempt, so the outbox retries.

        When the server refuses every recipient smtplib raises; when it refuses only some, the
        message went to the others, so it is not sent again and the refusals are reported.
        """
        message = build_message(payload, self.sender)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            refused = smtp.send_message(message)
        accepted = [r for r in payload["to"] if r not in refused]
        response = f"accepted by {self.host}:{self.port} for {', '.join(accepted)}"
        if refused:
            response += "; refused: " + ", ".join(f"{r} ({code})" for r, (code, _) in refused.items())
        return response
