"""``rcp run --trusted-proxy``: behind nginx the service sees each client's own address.

Without the option waitress ignores X-Forwarded-For, so behind a proxy every request looks local
and the /metrics allow-list (loopback by default) would let the whole internet in through nginx.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

RCP = Path(sys.executable).with_name("rcp")
OUTSIDE = "203.0.113.9"  # a documentation address: a client far from the allow-list


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _status(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


@contextmanager
def serving(tmp_path: Path, *options: str) -> Iterator[str]:
    """Run ``rcp run --no-runner`` with options on a free port; yield its base URL."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "RCP_"))}
    env |= {"RCP_INSTANCE_DIR": str(tmp_path / "instance"), "RCP_DEMO_USERS": "0", "SECRET_KEY": "t" * 32}
    log = (tmp_path / f"server-{port}.log").open("w+")
    server = subprocess.Popen(  # our own entry point, fixed arguments
        [str(RCP), "run", "--no-runner", "--port", str(port), *options],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, f"rcp run exited with {server.returncode}"
            assert time.monotonic() < deadline, "rcp run did not answer /healthz in 120 s"
            try:
                if _status(f"{base}/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.3)
        yield base
    except BaseException:
        log.seek(0)
        print("rcp run said:\n" + log.read())
        raise
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.slow
def test_a_trusted_proxy_passes_the_client_address_and_nobody_else_can(tmp_path: Path) -> None:
    with serving(tmp_path, "--trusted-proxy", "127.0.0.1", "--threads", "4") as base:
        assert _status(f"{base}/metrics") == 200  # the proxy's own request: loopback
        assert _status(f"{base}/metrics", {"X-Forwarded-For": OUTSIDE}) == 403
        # nginx appends the address it saw; only that last one counts, so a forged first one fails.
        assert _status(f"{base}/metrics", {"X-Forwarded-For": f"127.0.0.1, {OUTSIDE}"}) == 403

    with serving(tmp_path) as base:  # no --trusted-proxy: the header is not believed
        assert _status(f"{base}/metrics", {"X-Forwarded-For": OUTSIDE}) == 200
