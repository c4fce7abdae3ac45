"""One logging set-up for every process (web, worker, scheduler, CLI): stderr, text or JSON.

Logs go to stderr so that what a command prints on stdout stays clean for pipes. Every record
carries the request id of the work in hand (``service.observe.context``), also in background work
a request caused: the id is put on each record when it is made, so every handler sees it.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import IO, Any

from service.config import ObserveSettings
from service.observe import context

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
# Libraries that narrate routine work at INFO (alembic names its migration context on every
# command, the engine each task state): heard from at WARNING and above only.
QUIET = ("alembic", "spiff", "SpiffWorkflow")
# The attributes every LogRecord has; anything else on a record came as ``extra=`` and is a field.
_STANDARD = {*vars(logging.LogRecord("", 0, "", 0, "", None, None)), "message", "asctime", "request_id"}


def install_record_factory() -> None:
    """Make every new log record carry the current request id (once per process)."""
    previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(previous, "rcp_request_id", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = context.current()
        return record

    factory.rcp_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class TextFormatter(logging.Formatter):
    """The classic one-line format, with the request id (``-`` outside any request)."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:
        values = {**vars(record), "request_id": getattr(record, "request_id", None) or "-"}
        return TEXT_FORMAT % values


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line; ``extra=`` values become fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class _Handler(logging.StreamHandler):
    """The handler ``configure_logging`` installs (found again and replaced on a second call).

    Without a stream of its own it writes to ``sys.stderr`` as it is at each record, as Python's
    last-resort handler does: whoever swaps stderr (a test capturing it) never leaves it writing
    to a closed file.
    """

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._follows_stderr = stream is None
        super().__init__(stream)

    @property
    def stream(self) -> IO[str]:
        return sys.stderr if self._follows_stderr else self._stream

    @stream.setter
    def stream(self, value: IO[str]) -> None:
        self._stream = value


def formatter(log_format: str) -> logging.Formatter:
    """Return the formatter for ``RCP_LOG_FORMAT`` (``text`` or ``json``)."""
    if log_format == "json":
        return JsonFormatter()
    if log_format == "text":
        return TextFormatter()
    raise ValueError(f"RCP_LOG_FORMAT must be text or json, not {log_format!r}")


def configure_logging(settings: ObserveSettings, stream: IO[str] | None = None) -> logging.Handler:
    """Send every log record to stderr at the configured level and format; return the handler."""
    install_record_factory()
    handler = _Handler(stream)
    handler.setFormatter(formatter(settings.log_format))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    for name in QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    return handler
