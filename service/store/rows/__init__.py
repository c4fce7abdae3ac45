"""The rows and queries that cross layers, importable without SQL or the engine.

Repositories return these and take these; views, actions and the API read them. Nothing here
knows a table (``service.store.schema``) or a connection. The engine's rows are frozen
dataclasses (``core``); every other row is a TypedDict naming the columns its query selects
(``instance``, ``work``, ``people``).
"""

from service.store.rows.core import DefinitionRow, InboxSlice, InstanceQuery, InstanceRow, TaskFilter, TaskRow
from service.store.rows.instance import (
    AuditRow,
    ClosedTaskRow,
    ClosedTimerRow,
    DefinitionIndexRow,
    IncidentListingRow,
    IncidentRow,
    InstanceCountRow,
    InstanceListingRow,
    InstanceSummaryRow,
    LaneRow,
    SubscriptionRow,
    TimerRow,
)
from service.store.rows.people import (
    BufferedMessageRow,
    CaseMigrationRow,
    DiagramDraftRow,
    DiagramDraftSummaryRow,
    GroupMemberRow,
    IdempotencyRow,
    LoginFailureRow,
    SavedFilterRow,
    TaskDraftRow,
    TokenRow,
    UserRow,
    WebhookRow,
    WebhookWithEventsRow,
)
from service.store.rows.work import (
    ClosedCountRow,
    DeadlineGroupRow,
    DeadlineHistoryRow,
    LeaseRow,
    NewDeadlineRow,
    NoticeListingRow,
    NoticeRow,
    OutboxRow,
    ServiceCallRow,
    UpcomingDeadlineRow,
)

__all__ = [
    "AuditRow",
    "BufferedMessageRow",
    "CaseMigrationRow",
    "ClosedCountRow",
    "ClosedTaskRow",
    "ClosedTimerRow",
    "DeadlineGroupRow",
    "DeadlineHistoryRow",
    "DefinitionIndexRow",
    "DefinitionRow",
    "DiagramDraftRow",
    "DiagramDraftSummaryRow",
    "GroupMemberRow",
    "IdempotencyRow",
    "InboxSlice",
    "IncidentListingRow",
    "IncidentRow",
    "InstanceCountRow",
    "InstanceListingRow",
    "InstanceQuery",
    "InstanceRow",
    "InstanceSummaryRow",
    "LaneRow",
    "LeaseRow",
    "LoginFailureRow",
    "NewDeadlineRow",
    "NoticeListingRow",
    "NoticeRow",
    "OutboxRow",
    "SavedFilterRow",
    "ServiceCallRow",
    "SubscriptionRow",
    "TaskDraftRow",
    "TaskFilter",
    "TaskRow",
    "TimerRow",
    "TokenRow",
    "UpcomingDeadlineRow",
    "UserRow",
    "WebhookRow",
    "WebhookWithEventsRow",
]
