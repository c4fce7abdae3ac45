"""A running inbox for end-to-end tests: services, deployed fixture process, users, HTTP helpers."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from service import create_app
from service.actions import starting
from service.actions.deployment import deploy, read_directory
from service.identity import users
from service.identity.actors import SYSTEM, Actor
from service.services import Services
from service.store.rows import TaskFilter
from service.views import open_tasks
from tests.support import FIXTURES, INTEGRATOR

PROCESSES = FIXTURES / "inbox" / "processes"
PASSWORD = "correct-horse-battery"
# One user per group (the role table of the authorization tests), plus a second reviewer.
PEOPLE = {
    "rita": ("Rita Reviewer", ["reviewers"]),
    "rob": ("Rob Reviewer", ["reviewers"]),
    "fred": ("Fred Field Auditor", ["field_auditors"]),
    "dana": ("Dana Director", ["field_director"]),
    "hank": ("Hank Headquarters", ["hq_regulatory_audit"]),
    "pat": ("Pat Penalties", ["penalties"]),
    "sam": ("Sam Supervisor", ["supervisors"]),
    "ana": ("Ana Analyst", ["analysts"]),
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class World:
    """Services with the inbox fixture process deployed and one user per group."""

    services: Services
    app: Flask
    cases: dict[str, str] = field(default_factory=dict)

    def start_case(
        self, business_key: str, applicant: str = "Acme Imports LLC", received_on: str = "2026-01-05"
    ) -> str:
        variables = {
            "application_number": business_key,
            "applicant_name": applicant,
            "received_on": received_on,
        }
        outcome = starting.start(
            self.services, "inbox_review", variables, INTEGRATOR, business_key=business_key
        )
        self.cases[business_key] = outcome.instance_id
        return outcome.instance_id

    def open_task(self, instance_id: str) -> dict[str, Any]:
        """Return the one open task of a case."""
        found = open_tasks.tasks(self.services, SYSTEM, TaskFilter(instance_id=instance_id))
        assert len(found) == 1, found
        return found[0]

    def add_notice(self, instance_id: str, business_key: str) -> str:
        """Store an issued notice for a case straight through the store (as the program's handlers do)."""
        number = f"N-{uuid.uuid4().hex[:8]}"
        now = self.services.clock.now()
        with self.services.db.unit_of_work() as uow:
            uow.notices.add(
                {
                    "notice_number": number,
                    "step_key": f"test:{number}",
                    "kind": "acknowledgement",
                    "case_ref": business_key,
                    "instance_id": instance_id,
                    "recipient_name": "Confidential Applicant Inc",
                    "recipient_email": None,
                    "recipient_address": "1 Pier Road",
                    "issued_at": now,
                    "issued_on": now.date(),
                    "rule_cited": "§163.12(c)(1)",
                    "subject": f"Acknowledgement of application {business_key}",
                    "body": f"We received application {business_key}.",
                    "pdf": b"%PDF-1.4 test",
                    "sha256": "0" * 64,
                    "facts": {},
                }
            )
            uow.commit()
        return number

    def ensure_user(self, username: str) -> users.User:
        """Create one of ``PEOPLE`` on first use (hashing passwords is slow on purpose)."""
        found = users.active_user(self.services, username)
        if found is None:
            name, groups = PEOPLE[username]
            found = users.create(self.services, username, PASSWORD, groups, display_name=name, by=SYSTEM)
        return found

    def actor(self, username: str) -> Actor:
        return self.ensure_user(username).actor()

    def client(self, username: str | None = None) -> FlaskClient:
        """Return a test client, signed in as ``username`` when one is given."""
        client = self.app.test_client()
        if username is not None:
            self.ensure_user(username)
            response = client.post(
                "/login",
                data={"csrf_token": csrf(client, "/login"), "username": username, "password": PASSWORD},
            )
            assert response.status_code == 303, response.text
        return client


def csrf(client: FlaskClient, page: str = "/inbox") -> str:
    """Return the CSRF token of the client's session (read from a page's form)."""
    found = CSRF.search(client.get(page).text)
    assert found is not None, f"no form on {page}"
    return found.group(1)


def build_world(services: Services, people: tuple[str, ...] = ()) -> World:
    """Deploy the inbox fixture process and create the named users (others come on first use)."""
    deploy(services, read_directory(PROCESSES), INTEGRATOR)
    world = World(services, create_app(services=services))
    for username in people:
        world.ensure_user(username)
    return world


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve the app on an ephemeral port in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="inbox-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def page_tables(html: str) -> list[list[dict[str, str]]]:
    """Return every table of a page as rows keyed by column header (text, whitespace folded)."""
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(html)
    found = []
    for table in doc.iter("table"):
        headers = [" ".join(th.text_content().split()) for th in table.iterfind("thead/tr/th")]
        rows = []
        for tr in table.iterfind("tbody/tr"):
            cells = [" ".join(c.text_content().split()) for c in tr if c.tag in ("th", "td")]
            rows.append(dict(zip(headers, cells, strict=False)))
        found.append(rows)
    return found


def notices(html: str) -> list[str]:
    """Return the texts of the page's status and alert messages."""
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(html)
    return [" ".join(n.text_content().split()) for n in doc.xpath("//*[@role='status' or @role='alert']")]


def field_errors(html: str) -> dict[str, str]:
    """Return the error message shown next to each form field, by field name."""
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(html)
    return {
        p.get("id", "").removeprefix("error-"): " ".join(p.text_content().replace("Error:", "").split())
        for p in doc.xpath("//p[@class='field-error']")
    }


def input_values(html: str) -> dict[str, list[str]]:
    """Return the values a form shows: text inputs, textareas, checked boxes, selected options."""
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(html)
    found: dict[str, list[str]] = {}
    for form in doc.forms:
        for name, value in form.form_values():
            found.setdefault(name, []).append(value)
    return found


# Values that complete the fixture's review form.
VALID_REVIEW = {"decision": "complete", "employees_trained": "4", "office": "houston"}


def links(html: str, container: str = "//main") -> list[tuple[str, str]]:
    """Return (text, href) of the links inside the element the XPath ``container`` selects."""
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(html)
    return [
        (" ".join(a.text_content().split()), a.get("href", ""))
        for node in doc.xpath(container)
        for a in node.iter("a")
    ]


def list_items(html: str, container: str) -> list[str]:
    """Return the texts of the list items inside the element ``container`` selects."""
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(html)
    return [" ".join(li.text_content().split()) for node in doc.xpath(container) for li in node.iter("li")]
