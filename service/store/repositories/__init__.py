"""Repositories: the only code that writes SQL, each working inside a unit of work's connection."""

from .audit import AuditRepository
from .deadlines import DeadlineRepository
from .definitions import DefinitionRepository
from .derived import SubscriptionRepository, TaskRepository, TimerRepository
from .idempotency import IdempotencyRepository
from .identity import TokenRepository, UserRepository
from .inbox import InboxRepository, LoginRepository
from .instances import IncidentRepository, InstanceRepository
from .jobs import DueWorkRepository, LeaseRepository, ServiceCallRepository
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
    "DeadlineRepository",
    "DefinitionRepository",
    "DraftRepository",
    "DueWorkRepository",
    "IdempotencyRepository",
    "InboxRepository",
    "IncidentRepository",
    "InstanceRepository",
    "LeaseRepository",
    "LoginRepository",
    "MailboxRepository",
    "NoticeRepository",
    "OutboxRepository",
    "RateLimitRepository",
    "SearchRepository",
    "ServiceCallRepository",
    "SubscriptionRepository",
    "TaskRepository",
    "TimerRepository",
    "TokenRepository",
    "UserRepository",
    "WebhookRepository",
]
