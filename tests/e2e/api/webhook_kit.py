"""Helpers of the webhook tests: the allow-list, a resolver the test controls, signature checks."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import replace
from datetime import datetime
from typing import Any

from flask import Flask
from standardwebhooks import Webhook

from service.services import Services
from tests.apikit import Received

PUBLIC = "93.184.215.14"  # a public address (nothing is ever sent to it by these tests)


def allow(services: Services, *hosts: str) -> None:
    """Put ``hosts`` on the webhook allow-list, as RCP_WEBHOOK_ALLOW_HOSTS would."""
    api = replace(services.settings.api, webhook_allow_hosts=hosts)
    services.settings = replace(services.settings, api=api)


class Dns:
    """A resolver the test controls (no DNS server here); other names go to the system's."""

    def __init__(self, **names: list[str]) -> None:
        self.names = {name.replace("_", "."): addresses for name, addresses in names.items()}
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host in self.names:
            return self.names[host]
        return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def register(app: Flask, auth: dict[str, str], url: str, events: list[str]) -> dict[str, Any]:
    """Register a webhook through the API, asserting it is accepted."""
    answer = app.test_client().post("/api/v1/webhooks", json={"url": url, "events": events}, headers=auth)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    created: dict[str, Any] = answer.get_json()
    assert created["secret"].startswith("whsec_")
    return created


def verify(received: Received, secret: str, sent_at: datetime) -> dict[str, Any]:
    """Check the Standard Webhooks signature with the reference library; return the event."""
    headers = {k.lower(): v for k, v in received.headers.items()}
    expected = Webhook(secret).sign(headers["webhook-id"], sent_at, received.body)
    assert expected in headers["webhook-signature"].split(" ")
    assert headers["webhook-timestamp"] == str(int(sent_at.timestamp()))
    event: dict[str, Any] = json.loads(received.body)
    assert headers["webhook-id"] == event["id"]
    assert headers["x-rcp-event"] == event["type"]
    return event


class Answering:
    """A real HTTP receiver on loopback answering every POST with one status and body."""

    def __init__(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.received: list[Received] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                outer.received.append(Received(self.headers, self.rfile.read(length)))
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Answering:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
