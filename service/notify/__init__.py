"""Outbox senders that deliver messages to the outside world (e-mail by SMTP)."""

from service.notify.smtp import SmtpSender, build_message

__all__ = ["SmtpSender", "build_message"]
