"""Bearer tokens are checked through a short cache: a revocation elsewhere holds within a second."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Engine, event

from service.bootstrap import bootstrap
from service.identity import tokens
from service.identity.actors import Actor
from service.services import Services
from tests.apikit import problem, token

RCP = Path(sys.executable).with_name("rcp")


@contextmanager
def token_reads(engine: Engine) -> Iterator[list[str]]:
    """Collect the statements that read the API tokens table while the block runs."""
    seen: list[str] = []

    def executed(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "api_tokens" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", executed)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", executed)


def _get(app: Flask, auth: dict[str, str]) -> Any:
    return app.test_client().get("/api/v1/tasks", headers=auth)


def _status_after(app: Flask, auth: dict[str, str], revoked_at: float) -> tuple[int, float]:
    """Wait until one second after the revocation, then ask; return the status and the delay."""
    time.sleep(max(0.0, revoked_at + tokens.CACHE_SECONDS - time.monotonic()))
    answer = _get(app, auth)
    return answer.status_code, time.monotonic() - revoked_at


def test_a_token_is_read_once_for_requests_close_together(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "read")

    with token_reads(api.db.engine) as reads:
        statuses = [_get(app, auth).status_code for _ in range(5)]

    assert statuses == [200] * 5
    assert len(reads) == 1


def test_a_revocation_by_the_command_in_another_process_holds_within_a_second(
    api: Services, app: Flask, sqlite_url: str, tmp_path: Path
) -> None:
    auth = token(api, "portal", "read")
    assert _get(app, auth).status_code == 200  # the token is in the server's cache now
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    env |= {"DATABASE_URL": sqlite_url, "SECRET_KEY": "test-secret", "RCP_INSTANCE_DIR": str(tmp_path)}

    done = subprocess.run(
        [str(RCP), "token", "revoke", "portal"], env=env, capture_output=True, text=True, timeout=120
    )
    revoked_at = time.monotonic()
    status, waited = _status_after(app, auth, revoked_at)

    assert done.returncode == 0, done.stderr
    assert status == 401
    assert waited <= tokens.CACHE_SECONDS + 0.5  # the sleep itself, and a slow machine's request


def test_a_revocation_through_another_services_in_another_thread_holds_within_a_second(
    api: Services, app: Flask
) -> None:
    auth = token(api, "portal", "read")
    assert _get(app, auth).status_code == 200
    other = bootstrap(api.settings)  # its own database handle and cache, as another process has
    revoked: list[float] = []

    def revoke() -> None:
        tokens.revoke(other, "portal")
        revoked.append(time.monotonic())

    worker = threading.Thread(target=revoke)
    worker.start()
    worker.join()
    other.close()
    status, _ = _status_after(app, auth, revoked[0])

    assert status == 401
    assert problem(_get(app, auth))["detail"] == "unknown or revoked token"


def test_a_revocation_in_this_process_holds_at_once(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "read")
    assert _get(app, auth).status_code == 200

    tokens.revoke(api, "portal")

    assert _get(app, auth).status_code == 401


def test_the_cache_is_keyed_by_the_token_hash_and_bounded() -> None:
    cache = tokens.TokenCache(size=3, seconds=60)
    actor = Actor("integrator", "portal", scopes=frozenset({"read"}))
    raw = [f"rcp_{n:012x}_secret{n}" for n in range(5)]

    for n, presented in enumerate(raw):
        cache.put(tokens._hash(presented), tokens.Checked(f"{n:012x}", actor, time.monotonic(), None))

    assert len(cache) == 3
    assert cache.get(tokens._hash(raw[0])) is None  # the oldest left first
    assert cache.get(tokens._hash(raw[4])) is not None
    assert not any(presented in key for key in cache._entries for presented in raw)


def test_a_cached_token_expires_after_its_seconds() -> None:
    cache = tokens.TokenCache(size=3, seconds=0.05)
    actor = Actor("integrator", "portal", scopes=frozenset({"read"}))
    cache.put("k", tokens.Checked("id", actor, time.monotonic(), None))

    time.sleep(0.06)

    assert cache.get("k") is None
