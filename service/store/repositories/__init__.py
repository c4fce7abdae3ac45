"""Repositories: the only code that writes SQL, each working inside a unit of work's connection."""

from .audit import AuditRepository
from .deadlines import DeadlineRepository
from .definitions import DefinitionRepository
from .derived import SubscriptionRepository, TaskRepository, TimerRepository
from .identity import TokenRepository, UserRepository
from .inbox import InboxRepository, LoginRepository
from .instances import IncidentRepository, InstanceRepository
from .jobs import DueWorkRepository, LeaseRepository, ServiceCallRepository
from .modeler import CaseMigrationRepository, DraftRepository
from .notices import NoticeRepository
from .outbox import OutboxRepository

__all__ = [
    "AuditRepository",
    "CaseMigrationRepository",
    "DeadlineRepository",
    "DefinitionRepository",
    "DraftRepository",
    "DueWorkRepository",
    "InboxRepository",
    "IncidentRepository",
    "InstanceRepository",
    "LeaseRepository",
    "LoginRepository",
    "NoticeRepository",
    "OutboxRepository",
    "ServiceCallRepository",
    "SubscriptionRepository",
    "TaskRepository",
    "TimerRepository",
    "TokenRepository",
    "UserRepository",
]
