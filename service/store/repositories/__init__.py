"""Repositories: the only code that writes SQL, each working inside a unit of work's connection."""

from .audit import AuditRepository
from .definitions import DefinitionRepository
from .derived import SubscriptionRepository, TaskRepository, TimerRepository
from .idempotency import IdempotencyRepository
from .identity import TokenRepository, UserRepository
from .instances import IncidentRepository, InstanceRepository
from .mailbox import MailboxRepository
from .outbox import OutboxRepository
from .ratelimits import RateLimitRepository
from .search import SearchRepository
from .webhooks import WebhookRepository

__all__ = [
    "AuditRepository",
    "DefinitionRepository",
    "IdempotencyRepository",
    "IncidentRepository",
    "InstanceRepository",
    "MailboxRepository",
    "OutboxRepository",
    "RateLimitRepository",
    "SearchRepository",
    "SubscriptionRepository",
    "TaskRepository",
    "TimerRepository",
    "TokenRepository",
    "UserRepository",
    "WebhookRepository",
]
