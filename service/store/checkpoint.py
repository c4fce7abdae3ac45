"""SQLite's write-ahead log copied back into the database file by a thread of its own.

In WAL mode a commit appends pages to the log; a checkpoint copies them into the database file and
fsyncs both. SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, so
one trigger in a few hundred stalled for tens of milliseconds doing it. Here a background thread
runs a PASSIVE checkpoint (it never blocks readers or writers) whenever the log has grown past
``threshold_bytes``; the writer that follows a finished checkpoint starts the log again from its
beginning. The connections keep SQLite's own automatic checkpoint at a larger size as a backstop,
for processes whose thread is not running (it stops with the process's ``Database``).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

THRESHOLD_BYTES = 4 * 1024 * 1024  # well below the backstop (wal_autocheckpoint, service.store.db)
INTERVAL_SECONDS = 0.05


class WalCheckpointer:
    """Checkpoint one SQLite file's log from a daemon thread once it passes a size."""

    def __init__(
        self, path: Path, threshold_bytes: int = THRESHOLD_BYTES, interval: float = INTERVAL_SECONDS
    ) -> None:
        self.path = path
        self.wal = path.with_name(path.name + "-wal")
        self.threshold_bytes = threshold_bytes
        self.interval = interval
        self.checkpoints = 0  # finished checkpoints, for tests and curiosity
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the thread unless it runs already."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="rcp-wal-checkpoint", daemon=True)
            self._thread.start()

    def stop_soon(self) -> None:
        """Ask the thread to stop after its current turn, without waiting for it."""
        self._stop.set()

    def stop(self) -> None:
        """Stop the thread and wait for it (a checkpoint under way finishes first)."""
        with self._lock:
            thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)

    def checkpoint_if_due(self, db: sqlite3.Connection) -> bool:
        """Run a PASSIVE checkpoint when the log is past the threshold; say whether one ran."""
        try:
            size = self.wal.stat().st_size
        except FileNotFoundError:
            return False
        if size < self.threshold_bytes:
            return False
        busy, _frames, _copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self.checkpoints += 1
        return not busy

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            log.warning("cannot open %s for checkpoints; SQLite's own checkpoint stays on", self.path)
            return
        try:
            db.execute("PRAGMA busy_timeout=1000")
            while not self._stop.wait(self.interval):
                if not self.path.exists():  # the database went away (a removed temporary folder)
                    return
                try:
                    self.checkpoint_if_due(db)
                except sqlite3.Error as exc:  # a busy or locked file: the next turn tries again
                    log.debug("checkpoint of %s deferred: %s", self.path, exc)
        finally:
            db.close()
