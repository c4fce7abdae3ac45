"""Repositories: the only code that writes SQL, each working inside a unit of work's connection."""

from service.store.repositories.audit import AuditRepository
from service.store.repositories.deadlines import DeadlineRepository
from service.store.repositories.definitions import DefinitionRepository
from service.store.repositories.derived import SubscriptionRepository, TaskRepository, TimerRepository
from service.store.repositories.idempotency import IdempotencyRepository
from service.store.repositories.identity import TokenRepository, UserRepository
from service.store.repositories.inbox import InboxRepository, LoginRepository
from service.store.repositories.instances import IncidentRepository, InstanceRepository
from service.store.repositories.jobs import DueWorkRepository, LeaseRepository, ServiceCallRepository
from service.store.repositories.mailbox import MailboxRepository
from service.store.repositories.modeler import CaseMigrationRepository, DraftRepository
from service.store.repositories.notices import NoticeRepository
from service.store.repositories.outbox import OutboxRepository
from service.store.repositories.ratelimits import RateLimitRepository
from service.store.repositories.search import SearchRepository
from service.store.repositories.webhooks import WebhookRepository

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
