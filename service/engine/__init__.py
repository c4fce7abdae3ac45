"""Everything that touches SpiffWorkflow: parsing, validation, script policy, running, state."""

from SpiffWorkflow.bpmn import BpmnWorkflow

from .progress import ElementStates
from .runtime import Engine, MessageIncomplete, NotWaiting
from .scripting import CallContext
from .specs import DiagramSource, SpecBundle, SpecError
from .waits import PendingTimer, ReadyTask, Subscription, TaskFailure, WaitState

Workflow = BpmnWorkflow
"""A running workflow, opaque outside this package (the service layer only passes it back in)."""

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
    "Workflow",
]
