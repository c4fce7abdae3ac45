"""Webhooks cannot reach inside: scope, https, public addresses at registration and at delivery.

The addresses in the finding (issue 18, finding 1) are registered through the API and refused;
a host that changes its answer after registration (DNS rebinding) is refused at delivery and
nothing reaches the loopback receiver; deliveries keep status, time and a short clean excerpt;
the signature verifies with the Standard Webhooks reference library.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from standardwebhooks import Webhook

from service.actions import webhooks
from service.clock import MovableClock
from service.config import ROOT
from service.notify import outbox
from service.services import Services
from service.views import webhooks as webhook_views
from tests.apikit import problem, token
from tests.e2e.api.tls_kit import authority, https
from tests.e2e.api.webhook_kit import PUBLIC, Answering, Dns, allow, register

HOOKS = "/api/v1/webhooks"
EVENTS = ["task.created"]
INSIDE = [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "https://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1:8080/hook",
    "https://127.0.0.1:8443/hook",
    "https://10.1.2.3/hook",
    "https://192.168.0.10/hook",
    "https://172.16.5.4/hook",
    "https://0x7f000001/hook",
    "https://2130706433/hook",
    "https://127.1/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:a9fe:a9fe]/hook",
    "https://[fd00:ec2::254]/latest/meta-data/",
    "https://[fe80::1]/hook",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://metadata/computeMetadata/v1/",
    "https://localhost/hook",
    "https://100.64.0.1/hook",
    "https://224.0.0.1/hook",
    "https://0.0.0.0/hook",
    "https://[2002:7f00:1::]/hook",
    "https://Ï",
    "https://☃.example/hook",
    "https://hooks.example:0/hook",
    "https://user:pw@hooks.example/hook",
]


def _hooks(api: Services) -> list[str]:
    return [h["url"] for h in webhook_views.list_for(api, None)]


@pytest.mark.parametrize("url", INSIDE)
def test_a_url_inside_the_network_or_malformed_is_refused_naming_url(
    api: Services, app: Flask, url: str
) -> None:
    auth = token(api, "portal", "webhooks")

    answer = app.test_client().post(HOOKS, json={"url": url, "events": EVENTS}, headers=auth)

    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert [e["field"] for e in problem(answer)["errors"]] == ["url"]
    assert _hooks(api) == []


def test_a_read_only_token_may_not_manage_webhooks(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "read")
    client = app.test_client()

    created = client.post(HOOKS, json={"url": f"https://{PUBLIC}/hook", "events": EVENTS}, headers=auth)
    listed = client.get(HOOKS, headers=auth)

    assert (created.status_code, listed.status_code) == (403, 403)
    assert problem(created)["requiredScope"] == "webhooks"
    assert _hooks(api) == []


def test_https_is_required_and_a_public_https_url_is_taken(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "webhooks")
    client = app.test_client()

    plain = client.post(HOOKS, json={"url": f"http://{PUBLIC}/hook", "events": EVENTS}, headers=auth)
    secure = client.post(HOOKS, json={"url": f"https://{PUBLIC}/hook", "events": EVENTS}, headers=auth)

    assert plain.status_code == 422
    [error] = problem(plain)["errors"]
    assert (error["field"], "https" in error["message"]) == ("url", True)
    assert secure.status_code == 201
    assert _hooks(api) == [f"https://{PUBLIC}/hook"]


def test_an_allow_listed_http_loopback_receiver_gets_its_events(
    api: Services, app: Flask, clock: MovableClock
) -> None:
    auth = token(api, "portal", "webhooks")
    allow(api, "127.0.0.0/8")
    with Answering(200, b"ok") as receiver:
        hook = register(app, auth, f"http://127.0.0.1:{receiver.port}/in", EVENTS)
        app.test_client().post(f"{HOOKS}/{hook['id']}/ping", headers=auth)
        assert outbox.deliver_due(api) == 1
    assert [r.headers["X-RCP-Event"] for r in receiver.received] == ["ping"]


def test_the_sender_connects_to_the_address_it_checked_with_the_name_as_host(
    api: Services, app: Flask
) -> None:
    auth = token(api, "portal", "webhooks")
    api.resolve = Dns(receiver_portal_example=["127.0.0.1"])  # the system knows no such name
    allow(api, "127.0.0.1")
    with Answering(200, b"ok") as receiver:
        url = f"http://receiver.portal.example:{receiver.port}/in"
        hook = register(app, auth, url, EVENTS)
        app.test_client().post(f"{HOOKS}/{hook['id']}/ping", headers=auth)
        outbox.deliver_due(api)
    assert [r.headers["Host"] for r in receiver.received] == [f"receiver.portal.example:{receiver.port}"]


def test_a_host_that_resolves_inside_at_delivery_is_refused_and_nothing_is_posted(
    api: Services, app: Flask
) -> None:
    auth = token(api, "portal", "webhooks")
    dns = Dns(hooks_portal_example=[PUBLIC])
    api.resolve = dns
    allow(api, f"{PUBLIC}/32")  # http to that public address only, so a skipped check would post
    with Answering(200, b"internal secrets") as receiver:
        hook = register(app, auth, f"http://hooks.portal.example:{receiver.port}/in", EVENTS)
        dns.names["hooks.portal.example"] = ["127.0.0.1"]  # the rebinding
        app.test_client().post(f"{HOOKS}/{hook['id']}/ping", headers=auth)
        assert outbox.deliver_due(api) == 1
    assert receiver.received == []
    [delivery] = app.test_client().get(f"{HOOKS}/{hook['id']}/deliveries", headers=auth).get_json()["items"]
    assert (delivery["status"], delivery["lastResponse"]) == ("pending", None)
    assert delivery["lastError"].startswith("DeliveryRefused: refused, nothing sent:")
    assert "loopback" in delivery["lastError"] and "internal secrets" not in delivery["lastError"]


def test_a_webhook_stored_before_the_checks_is_refused_at_delivery(
    api: Services, clock: MovableClock
) -> None:
    token(api, "portal", "webhooks")
    with Answering(200, b"root:x:0:0") as receiver:
        with api.db.unit_of_work() as uow:  # as the unchecked registration stored it
            uow.webhooks.add(
                webhook_id="old",
                owner="portal",
                url=f"http://127.0.0.1:{receiver.port}/latest/meta-data/",
                description=None,
                salt="s",
                events=EVENTS,
                now=clock.now(),
            )
            uow.commit()
        webhooks.ping(api, "portal", "old")
        outbox.deliver_due(api)
    assert receiver.received == []
    [delivery] = webhook_views.deliveries(api, "portal", "old")
    assert delivery["lastResponse"] is None
    assert delivery["lastError"].startswith("DeliveryRefused: refused, nothing sent:")


def test_a_delivery_keeps_the_status_time_and_a_short_clean_excerpt_only(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "webhooks")
    allow(api, "127.0.0.1")
    body = ("SECRET-\x1b[31m\x00line\r\nX-Injected: 1\u202e " * 400).encode()
    with Answering(500, body) as receiver:
        hook = register(app, auth, f"http://127.0.0.1:{receiver.port}/in", EVENTS)
        app.test_client().post(f"{HOOKS}/{hook['id']}/ping", headers=auth)
        outbox.deliver_due(api)
    [delivery] = app.test_client().get(f"{HOOKS}/{hook['id']}/deliveries", headers=auth).get_json()["items"]
    found = re.fullmatch(r"DeliveryFailed: 500 in \d+ ms: (.*)", delivery["lastError"], re.S)
    assert found is not None, delivery["lastError"]
    excerpt = found.group(1)
    assert 0 < len(excerpt) <= 200
    assert excerpt.startswith("SECRET- [31m line X-Injected: 1 SECRET-")
    assert not any(c in excerpt for c in "\x1b\x00\r\n\u202e")


def test_the_signature_verifies_with_the_standard_webhooks_library(
    api: Services, app: Flask, clock: MovableClock
) -> None:
    clock.set(datetime.now(UTC))  # the library checks the timestamp against the wall clock
    auth = token(api, "portal", "webhooks")
    allow(api, "127.0.0.1")
    with Answering(204, b"") as receiver:
        hook = register(app, auth, f"http://127.0.0.1:{receiver.port}/in", EVENTS)
        app.test_client().post(f"{HOOKS}/{hook['id']}/ping", headers=auth)
        outbox.deliver_due(api)
    [received] = receiver.received
    headers = dict(received.headers.items())

    event = Webhook(hook["secret"]).verify(received.body, headers)

    assert (event["type"], event["id"]) == ("ping", headers["webhook-id"])
    tampered = received.body.replace(b"ping", b"pong")
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(hook["secret"]).verify(tampered, headers)


def _readme_verifier() -> Any:
    """Return the verification function the README's Webhooks section shows integrators."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("### Webhooks instead of polling")[1]
    code = re.search(r"```python\n(.*?)```", section.split("\n### ", 1)[0], re.S)
    assert code is not None
    scope: dict[str, Any] = {}
    exec(code.group(1), scope)  # the README's own example, as an integrator pastes it
    return scope["verified_event"]


def test_the_readmes_verification_example_accepts_a_delivery(
    api: Services, app: Flask, clock: MovableClock
) -> None:
    clock.set(datetime.now(UTC))
    auth = token(api, "portal", "webhooks")
    allow(api, "127.0.0.1")
    with Answering(200, b"") as receiver:
        hook = register(app, auth, f"http://127.0.0.1:{receiver.port}/in", EVENTS)
        app.test_client().post(f"{HOOKS}/{hook['id']}/ping", headers=auth)
        outbox.deliver_due(api)
    [received] = receiver.received

    event = _readme_verifier()(hook["secret"], dict(received.headers.items()), received.body)

    assert event["type"] == "ping"


@pytest.mark.parametrize(
    ("certified", "delivered"), [("hooks.portal.example", True), ("other.example", False)]
)
def test_https_goes_to_the_checked_address_and_verifies_the_certificate_for_the_name(
    api: Services,
    app: Flask,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    certified: str,
    delivered: bool,
) -> None:
    ca, cert, key = authority(tmp_path, certified)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # the sender trusts this test's authority only
    auth = token(api, "portal", "webhooks")
    api.resolve = Dns(hooks_portal_example=["127.0.0.1"])
    allow(api, "127.0.0.1")
    with https(Answering(200, b"ok"), cert, key) as receiver:
        hook = register(app, auth, f"https://hooks.portal.example:{receiver.port}/in", EVENTS)
        app.test_client().post(f"{HOOKS}/{hook['id']}/ping", headers=auth)
        outbox.deliver_due(api)
    [delivery] = webhook_views.deliveries(api, "portal", hook["id"])
    if delivered:
        assert [r.headers["Host"] for r in receiver.received] == [f"hooks.portal.example:{receiver.port}"]
        assert re.fullmatch(r"200 in \d+ ms: ok", delivery["lastResponse"])
    else:
        assert receiver.received == []
        assert "CERTIFICATE_VERIFY_FAILED" in delivery["lastError"]


def test_a_redirect_is_an_answer_not_followed(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "webhooks")
    allow(api, "127.0.0.1")
    with Answering(200, b"inside") as inside:
        moved = {"Location": f"http://127.0.0.1:{inside.port}/admin"}
        with Answering(307, b"", moved) as receiver:
            hook = register(app, auth, f"http://127.0.0.1:{receiver.port}/in", EVENTS)
            app.test_client().post(f"{HOOKS}/{hook['id']}/ping", headers=auth)
            outbox.deliver_due(api)
    assert (len(receiver.received), inside.received) == (1, [])
    [delivery] = webhook_views.deliveries(api, "portal", hook["id"])
    assert re.fullmatch(r"DeliveryFailed: 307 in \d+ ms", delivery["lastError"])
