"""Repositories: the only code that writes SQL, each working inside a unit of work's connection."""

from .audit import AuditRepository
from .definitions import DefinitionRepository
from .derived import SubscriptionRepository, TaskRepository, TimerRepository
from .identity import TokenRepository, UserRepository
from .instances import IncidentRepository, InstanceRepository
from .notices import NoticeRepository
from .outbox import OutboxRepository

__all__ = [
    "AuditRepository",
    "DefinitionRepository",
    "IncidentRepository",
    "InstanceRepository",
    "NoticeRepository",
    "OutboxRepository",
    "SubscriptionRepository",
    "TaskRepository",
    "TimerRepository",
    "TokenRepository",
    "UserRepository",
]
