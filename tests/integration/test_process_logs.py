"""The processes an operator starts log to stderr only: no library noise, JSON lines when asked."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

RCP = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "rcp"


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("RCP_", "DATABASE_URL", "REDIS_URL"))}
    return {**keep, "RCP_INSTANCE_DIR": str(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'rcp.db'}", **extra}


def test_migrate_prints_no_alembic_lines_at_the_default_level(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(RCP), "migrate"], env=_env(tmp_path), capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stderr
    assert "alembic" not in done.stdout + done.stderr
    assert "Running upgrade" not in done.stdout + done.stderr
    assert "Context impl" not in done.stdout + done.stderr
    assert (tmp_path / "rcp.db").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, **headers: str) -> Any:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as answer:
        return answer.status, answer.headers, answer.read()


@pytest.mark.slow
def test_the_web_process_writes_json_lines_with_request_ids_on_stderr_only(tmp_path: Path) -> None:
    port = _free_port()
    env = _env(tmp_path, RCP_LOG_FORMAT="json", RCP_DEMO_USERS="0")
    server = subprocess.Popen(
        [str(RCP), "run", "--port", str(port), "--no-runner"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "rcp run did not come up"
                time.sleep(0.5)
        status, headers, body = _get(f"{base}/readyz", **{"X-Request-ID": "ops-check-1"})
        assert status == 200 and headers["X-Request-ID"] == "ops-check-1"
        assert json.loads(body)["status"] == "ready"
        assert b"rcp_open_tasks" in _get(f"{base}/metrics")[2]
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)

    lines = [json.loads(line) for line in err.splitlines() if line.strip()]  # every line is JSON
    assert not any(line.startswith("{") for line in out.splitlines())  # stdout has no log lines
    [ready] = [e for e in lines if e["logger"] == "rcp.access" and e["path"] == "/readyz"]
    assert ready["request_id"] == "ops-check-1"
    assert (ready["method"], ready["status"], ready["remote_addr"]) == ("GET", 200, "127.0.0.1")
    assert {"time", "level", "message", "duration_ms"} <= set(ready)
    assert not any(e["logger"].startswith("alembic") for e in lines)
    assert any(e["logger"] == "rcp" and e["message"].startswith("serving on") for e in lines)
