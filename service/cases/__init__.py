"""The service layer: one function per trigger, one transaction each."""

from . import lifecycle, messages, queries, tasks, timers
from .actors import SYSTEM, TIMER, Actor
from .trigger import Outcome

__all__ = ["SYSTEM", "TIMER", "Actor", "Outcome", "lifecycle", "messages", "queries", "tasks", "timers"]
