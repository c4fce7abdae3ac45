"""Logs: one set-up for every process, text or JSON lines on stderr, each with its request id."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest

from service.config import ObserveSettings
from service.observe import context
from service.observe.access import MetricsAccess
from service.observe.logs import configure_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger and the quieted loggers back as they were."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in ("alembic", "spiff", "SpiffWorkflow")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in quiet.items():
        logging.getLogger(name).setLevel(was)


@pytest.mark.usefixtures("restore_logging")
def test_json_lines_carry_time_level_logger_message_request_id_and_extra_fields() -> None:
    out = io.StringIO()
    configure_logging(ObserveSettings(log_format="json"), stream=out)

    with context.carried("req-42"):
        logging.getLogger("rcp.test").info("case %s started", "A-1", extra={"business_key": "A-1"})
        try:
            raise ValueError("bad date")
        except ValueError:
            logging.getLogger("rcp.test").exception("step failed")
    logging.getLogger("rcp.test").warning("outside any request")

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["message"] for e in lines] == ["case A-1 started", "step failed", "outside any request"]
    first = lines[0]
    assert first["level"] == "INFO"
    assert first["logger"] == "rcp.test"
    assert first["request_id"] == "req-42"
    assert first["business_key"] == "A-1"
    assert first["time"].endswith("+00:00")
    assert "ValueError: bad date" in lines[1]["exception"]
    assert lines[1]["request_id"] == "req-42"
    assert "request_id" not in lines[2]


@pytest.mark.usefixtures("restore_logging")
def test_text_lines_show_the_request_id_and_the_level_filters_records() -> None:
    out = io.StringIO()
    configure_logging(ObserveSettings(log_level="WARNING"), stream=out)

    with context.carried("req-7"):
        logging.getLogger("rcp.test").info("not shown")
        logging.getLogger("rcp.test").warning("shown")

    assert out.getvalue().count("\n") == 1
    assert out.getvalue().rstrip().endswith("WARNING rcp.test [req-7]: shown")


@pytest.mark.usefixtures("restore_logging")
def test_library_narration_is_quiet_at_the_default_level_and_a_second_setup_replaces_the_first() -> None:
    first, second = io.StringIO(), io.StringIO()
    configure_logging(ObserveSettings(), stream=first)
    configure_logging(ObserveSettings(), stream=second)

    logging.getLogger("alembic.runtime.migration").info("Running upgrade 0007 -> 0008")
    logging.getLogger("spiff.task").info("task ready")
    logging.getLogger("rcp.test").info("ours")

    assert first.getvalue() == ""
    assert "ours" in second.getvalue()
    assert "alembic" not in second.getvalue() and "spiff" not in second.getvalue()


def test_an_unknown_log_format_is_refused() -> None:
    with pytest.raises(ValueError, match="RCP_LOG_FORMAT"):
        configure_logging(ObserveSettings(log_format="xml"), stream=io.StringIO())


def test_log_and_metrics_settings_come_from_the_environment() -> None:
    env = {
        "RCP_LOG_LEVEL": "debug",
        "RCP_LOG_FORMAT": "JSON",
        "RCP_METRICS_TOKEN": "t0k",
        "RCP_METRICS_ALLOW": "10.0.0.0/8, 192.0.2.1/32",
    }
    assert ObserveSettings.from_env(env) == ObserveSettings(
        "DEBUG", "json", "t0k", ("10.0.0.0/8", "192.0.2.1/32")
    )
    assert ObserveSettings.from_env({}) == ObserveSettings("INFO", "text", None, ("127.0.0.1/32", "::1/128"))


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("abc-123", True),
        ("0f8fad5b-d9cb-469f-a165-70867728950e", True),
        ("a" * 128, True),
        ("a" * 129, False),
        ("two words", False),
        ("line\nbreak", False),
        ("", False),
        (None, False),
    ],
)
def test_a_request_id_is_kept_when_it_is_a_short_printable_token(given: str | None, kept: bool) -> None:
    accepted = context.accept(given)
    assert (accepted == given) is kept
    if not kept:
        assert len(accepted) == 32 and int(accepted, 16) >= 0  # a fresh uuid4 in hex


def test_a_malformed_allow_list_stops_the_app_from_starting() -> None:
    with pytest.raises(ValueError):
        MetricsAccess.from_settings(ObserveSettings(metrics_allow=("not-a-network",)))


@pytest.mark.usefixtures("restore_logging")
def test_records_go_to_stderr_as_it_is_when_they_are_written(monkeypatch: pytest.MonkeyPatch) -> None:
    before, after = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", before)
    configure_logging(ObserveSettings())
    monkeypatch.setattr(sys, "stderr", after)  # a test capturing stderr, a daemon redirecting it

    logging.getLogger("rcp.test").info("written late")

    assert before.getvalue() == ""
    assert "written late" in after.getvalue()
