"""Repositories: the only code that writes SQL, each working inside a unit of work's connection."""

from .audit import AuditRepository
from .definitions import DefinitionRepository
from .derived import SubscriptionRepository, TaskRepository, TimerRepository
from .identity import TokenRepository, UserRepository
from .inbox import InboxRepository, LoginRepository
from .instances import IncidentRepository, InstanceRepository
from .notices import NoticeRepository
from .outbox import OutboxRepository

__all__ = [
    "AuditRepository",
    "DefinitionRepository",
    "InboxRepository",
    "IncidentRepository",
    "InstanceRepository",
    "LoginRepository",
    "NoticeRepository",
    "OutboxRepository",
    "SubscriptionRepository",
    "TaskRepository",
    "TimerRepository",
    "TokenRepository",
    "UserRepository",
]
