"""Helpers for the integrator API's tests: services with API settings, tokens, a world of cases."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from service import create_app
from service.actions import starting
from service.actions.deployment import deploy, read_directory
from service.bootstrap import bootstrap
from service.clock import MovableClock
from service.config import ApiSettings, Settings
from service.identity import tokens
from service.services import Services
from service.store.rows import TaskFilter
from service.views import open_tasks
from tests.support import FIXTURES, INTEGRATOR, REVIEWER, START, Switchboard, test_registry

API_FIXTURES = FIXTURES / "api_processes"
SMOKE_VARS = {"application_number": "A-1", "received_on": "2026-01-05"}
# A tiny PDF, as the notification service renders and hands over its notices.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
    b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def api_services(url: str, tmp: Path, clock: MovableClock, board: Switchboard, **api: Any) -> Services:
    """Services like the suite's, with API settings (no rate limit unless a test sets one)."""
    settings = Settings(
        database_url=url,
        secret_key="test-secret",
        instance_dir=tmp,
        runner="off",
        testing=True,
        processes_dir=FIXTURES / "processes",
        api=ApiSettings(**{"rate_limit": 0, **api}),
    )
    return bootstrap(settings, clock=clock, registry=test_registry(board))


def deploy_all(services: Services) -> None:
    """Deploy the smoke process and the API's fixture processes."""
    deploy(services, read_directory(FIXTURES / "processes"), INTEGRATOR)
    deploy(services, read_directory(API_FIXTURES), INTEGRATOR)


def token(services: Services, name: str, *scopes: str) -> dict[str, str]:
    """Create a token and return the Authorization header carrying it."""
    return {"Authorization": f"Bearer {tokens.create(services, name, list(scopes))}"}


def open_task(services: Services, instance_id: str) -> dict[str, Any]:
    found = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=instance_id))
    assert len(found) == 1
    return found[0]


def issue_notice(services: Services, case_ref: str = "A-1", number: str = "RCP-NOV-2026-00001") -> str:
    """Issue a notice of violation through the notices port, as a handler would; return its number."""
    issued = datetime(2026, 1, 6, 12, 0, tzinfo=START.tzinfo)
    notice = {
        "notice_number": number,
        "step_key": f"test:{number}",
        "kind": "violation",
        "case_ref": case_ref,
        "instance_id": None,
        "recipient_name": "Acme Imports LLC",
        "recipient_email": None,
        "recipient_address": "1 Harbor Way, Charlotte NC",
        "issued_at": issued,
        "issued_on": issued.date(),
        "rule_cited": "§163.12(d)",
        "subject": "Notice of violation",
        "body": "The entry record demanded on 2 December 2025 was not produced.",
        "pdf": PDF,
        "facts": {"demand_number": "D-7"},
    }
    with services.db.unit_of_work() as uow:
        services.ports(uow).notices.store(notice, None)
        uow.commit()
    return number


def app_for(services: Services) -> Flask:
    return create_app(services=services)


def start_smoke(services: Services, business_key: str = "A-1") -> str:
    return starting.start(services, "smoke", SMOKE_VARS, INTEGRATOR, business_key=business_key).instance_id


def problem(response: Any) -> dict[str, Any]:
    """Return the problem document of a refused request (asserting it is one)."""
    assert response.mimetype == "application/problem+json", response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    assert body["status"] == response.status_code
    return body


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` with waitress on a free loopback port; yield its base URL."""
    from waitress import wasyncore
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    finally:
        # Let finished connections close before the sockets go (else waitress logs EBADF).
        deadline = time.monotonic() + 5
        while len(server._map) > 2 and time.monotonic() < deadline:  # type: ignore[union-attr]
            time.sleep(0.01)
        server.task_dispatcher.shutdown()  # type: ignore[union-attr]
        # Close the sockets from the server's own loop: closed from here, a socket can vanish
        # under the loop's select() and the server thread dies with EBADF. Once the map is empty
        # the loop ends.
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))  # type: ignore[union-attr]
        thread.join(timeout=5)


def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class Received:
    headers: Message  # case-insensitive, as HTTP header names are
    body: bytes


class Receiver:
    """A real HTTP server on loopback that records what it is sent and answers as told."""

    def __init__(self, answers: list[int]) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.answers = list(answers)
        self.received: list[Received] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                receiver.received.append(Received(self.headers, self.rfile.read(length)))
                status = receiver.answers.pop(0) if receiver.answers else 200
                payload = b"thanks" if status < 300 else b"busy, try later"
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/rcp"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
