"""Repositories: the only code that writes SQL, each working inside a unit of work's connection."""

from .audit import AuditRepository
from .definitions import DefinitionRepository
from .derived import SubscriptionRepository, TaskRepository, TimerRepository
from .idempotency import IdempotencyRepository
from .identity import TokenRepository, UserRepository
from .inbox import InboxRepository, LoginRepository
from .instances import IncidentRepository, InstanceRepository
from .mailbox import MailboxRepository
from .modeler import CaseMigrationRepository, DraftRepository
from .notices import NoticeRepository
from .outbox import OutboxRepository
from .ratelimits import RateLimitRepository
from .search import SearchRepository
from .webhooks import WebhookRepository

__all__ = [
    "AuditRepository",
    "CaseMigrationRepository",
    "DefinitionRepository",
    "DraftRepository",
    "IdempotencyRepository",
    "InboxRepository",
    "IncidentRepository",
    "InstanceRepository",
    "LoginRepository",
    "MailboxRepository",
    "NoticeRepository",
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
