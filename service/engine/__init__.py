"""Everything that touches SpiffWorkflow: parsing, validation, script policy, running, state."""

from .progress import ElementStates
from .runtime import Engine, MessageIncomplete, NotWaiting
from .scripting import CallContext
from .specs import DiagramSource, SpecBundle, SpecError
from .waits import PendingTimer, ReadyTask, Subscription, TaskFailure, WaitState

__all__ = [
    "CallContext",
    "DiagramSource",
    "ElementStates",
    "Engine",
    "MessageIncomplete",
    "NotWaiting",
    "PendingTimer",
    "ReadyTask",
    "SpecBundle",
    "SpecError",
    "Subscription",
    "TaskFailure",
    "WaitState",
]
