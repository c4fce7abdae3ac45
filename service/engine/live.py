"""Workflows kept alive between triggers, so a busy case skips deserialising its state.

An entry is the workflow exactly as committed at ``version``. A trigger *takes* it (no other
thread can see it while it is being changed) and the entry is put back only after the commit; a
trigger that fails or rolls back never puts it back. Another process writing the instance bumps
its version, so a stale entry is never used.

An entry may also carry the instance's open-task rows as that commit left them, so the next
trigger's derived-row sync need not read them back (one statement, on PostgreSQL a round trip).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow

# The open-task rows by task id; opaque here (the trigger layer writes and reads them).
OpenTasks = Mapping[str, Any]


@dataclass(frozen=True)
class Live:
    """A committed workflow and, when known, the open-task rows committed with it."""

    version: int
    workflow: BpmnWorkflow
    open_tasks: OpenTasks | None = None


class LiveWorkflows:
    """A small LRU of committed workflows keyed by instance id and version."""

    def __init__(self, capacity: int = 512) -> None:
        self._entries: OrderedDict[str, Live] = OrderedDict()
        # Open-task rows noted before a commit, for the ``put`` that follows it (same version).
        self._noted: dict[str, tuple[int, OpenTasks]] = {}
        self._capacity = capacity
        self._lock = threading.Lock()

    def take(self, instance_id: str, version: int) -> Live | None:
        """Remove and return the entry committed at ``version``, if it is cached."""
        with self._lock:
            entry = self._entries.pop(instance_id, None)
        if entry is None or entry.version != version:
            return None
        return entry

    def note(self, instance_id: str, version: int, open_tasks: OpenTasks | None) -> None:
        """Note the open-task rows a transaction about to commit ``version`` wrote."""
        if self._capacity <= 0 or open_tasks is None:
            return
        with self._lock:
            self._noted[instance_id] = (version, open_tasks)
            if len(self._noted) > self._capacity:  # notes of transactions that rolled back
                del self._noted[next(iter(self._noted))]

    def put(
        self, instance_id: str, version: int, workflow: BpmnWorkflow, open_tasks: OpenTasks | None = None
    ) -> None:
        """Keep a workflow just committed at ``version`` (with its rows, given or noted)."""
        if self._capacity <= 0:
            return
        with self._lock:
            noted = self._noted.pop(instance_id, None)
            if open_tasks is None and noted is not None and noted[0] == version:
                open_tasks = noted[1]
            self._entries[instance_id] = Live(version, workflow, open_tasks)
            self._entries.move_to_end(instance_id)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)

    def forget(self, instance_id: str) -> None:
        with self._lock:
            self._entries.pop(instance_id, None)
            self._noted.pop(instance_id, None)
