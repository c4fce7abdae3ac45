"""Outbox senders that deliver messages to the outside world (e-mail by SMTP)."""

from .smtp import SmtpSender, build_message

__all__ = ["SmtpSender", "build_message"]
