"""Workflows kept alive between triggers, so a busy case skips deserialising its state.

An entry is the workflow exactly as committed at ``version``. A trigger *takes* it (no other
thread can see it while it is being changed) and the entry is put back only after the commit; a
trigger that fails or rolls back never puts it back. Another process writing the instance bumps
its version, so a stale entry is never used.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from SpiffWorkflow.bpmn import BpmnWorkflow


class LiveWorkflows:
    """A small LRU of committed workflows keyed by instance id and version."""

    def __init__(self, capacity: int = 512) -> None:
        self._entries: OrderedDict[str, tuple[int, BpmnWorkflow]] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def take(self, instance_id: str, version: int) -> BpmnWorkflow | None:
        """Remove and return the workflow committed at ``version``, if it is cached."""
        with self._lock:
            entry = self._entries.pop(instance_id, None)
        if entry is None or entry[0] != version:
            return None
        return entry[1]

    def put(self, instance_id: str, version: int, workflow: BpmnWorkflow) -> None:
        """Keep a workflow just committed at ``version``."""
        if self._capacity <= 0:
            return
        with self._lock:
            self._entries[instance_id] = (version, workflow)
            self._entries.move_to_end(instance_id)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)

    def forget(self, instance_id: str) -> None:
        with self._lock:
            self._entries.pop(instance_id, None)
