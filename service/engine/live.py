"""Workflows kept alive between triggers, so a busy case skips deserialising its state.

An entry is the workflow exactly as committed at ``version``. A trigger *takes* it (no other
thread can see it while it is being changed) and the entry is put back only after the commit; a
trigger that fails or rolls back never puts it back. Another process writing the instance bumps
its version, so a stale entry is never used.

An entry may also carry what that commit wrote to the derived tables (the open-task rows, the
case list's row), so the next trigger need not read them back or rewrite what has not changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow


@dataclass(frozen=True)
class Live:
    """A committed workflow and, when known, what its commit wrote to the derived tables."""

    version: int
    workflow: BpmnWorkflow
    written: Any = None  # opaque here: the trigger layer writes and reads it (trigger.save.Written)


class LiveWorkflows:
    """A small LRU of committed workflows keyed by instance id and version."""

    def __init__(self, capacity: int = 512) -> None:
        self._entries: OrderedDict[str, Live] = OrderedDict()
        # Derived rows noted before a commit, for the ``put`` that follows it (same version).
        self._noted: dict[str, tuple[int, Any]] = {}
        self._capacity = capacity
        self._lock = threading.Lock()

    def take(self, instance_id: str, version: int) -> Live | None:
        """Remove and return the entry committed at ``version``, if it is cached."""
        with self._lock:
            entry = self._entries.pop(instance_id, None)
        if entry is None or entry.version != version:
            return None
        return entry

    def note(self, instance_id: str, version: int, written: Any) -> None:
        """Note what a transaction about to commit ``version`` wrote to the derived tables."""
        if self._capacity <= 0 or written is None:
            return
        with self._lock:
            self._noted[instance_id] = (version, written)
            if len(self._noted) > self._capacity:  # notes of transactions that rolled back
                del self._noted[next(iter(self._noted))]

    def put(self, instance_id: str, version: int, workflow: BpmnWorkflow, written: Any = None) -> None:
        """Keep a workflow just committed at ``version`` (with its derived rows, given or noted)."""
        if self._capacity <= 0:
            return
        with self._lock:
            noted = self._noted.pop(instance_id, None)
            if written is None and noted is not None and noted[0] == version:
                written = noted[1]
            self._entries[instance_id] = Live(version, workflow, written)
            self._entries.move_to_end(instance_id)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)

    def forget(self, instance_id: str) -> None:
        with self._lock:
            self._entries.pop(instance_id, None)
            self._noted.pop(instance_id, None)
