"""What the modeler's HTTP and browser tests share: staff users, signing in, a deployed fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from service import create_app
from service.actions.deployment import deploy, read_directory
from service.bootstrap import bootstrap
from service.clock import MovableClock
from service.config import Settings
from service.identity import users
from service.identity.actors import SYSTEM
from service.services import Services
from tests.support import FIXTURES, Switchboard, test_registry

MODELER_FIXTURES = FIXTURES / "modeler"
REVIEW_XML = (MODELER_FIXTURES / "application_review.bpmn").read_text()

UNUSED_HASH = "not-a-password-hash"
# username -> groups; every group of the program plus a user in none.
STAFF = {
    "ana": ["analysts"],
    "sam": ["supervisors"],
    "rita": ["reviewers"],
    "fred": ["field_auditors"],
    "dana": ["field_director"],
    "hal": ["hq_regulatory_audit"],
    "pat": ["penalties"],
    "nobody": [],
}


def add_staff(services: Services) -> None:
    """Create the staff users (sign-in is by session in these tests, so passwords are unused)."""
    with services.db.unit_of_work() as uow:
        for username, groups in STAFF.items():
            uow.users.upsert(username, username.title(), None, UNUSED_HASH, groups, services.clock.now())
        uow.commit()


def modeler_services(url: str, tmp: Path, clock: MovableClock, board: Switchboard) -> Services:
    """Services whose processes folder is the modeler fixture, deployed once as version 1."""
    settings = Settings(
        database_url=url,
        secret_key="test-secret",
        instance_dir=tmp,
        runner="off",
        testing=True,
        processes_dir=MODELER_FIXTURES,
    )
    services = bootstrap(settings, clock=clock, registry=test_registry(board))
    deploy(services, read_directory(MODELER_FIXTURES), SYSTEM, "initial deployment")
    add_staff(services)
    return services


def app_for(services: Services) -> Flask:
    return create_app(services=services)


def sign_in(client: FlaskClient, services: Services, username: str) -> str:
    """Leave the session the sign-in page leaves for ``username``; return its CSRF token.

    (Hashing a password per user and test would dominate these tests' time; the browser test signs
    in through the real page.)
    """
    with client.session_transaction() as session:
        session.update(
            user=username,
            fp=users.fingerprint(UNUSED_HASH),
            seen=services.clock.now().timestamp(),
            since=services.clock.now().timestamp(),
            csrf_token=f"csrf-{username}",
        )
    return f"csrf-{username}"


def sign_in_page(page: Any, site: str, username: str, password: str, landing: str = "Processes") -> None:
    """Sign in through the login page and wait for the page a user of that group lands on."""
    page.goto(f"{site}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1, name=landing).wait_for()


def select_shape(page: Any, element_id: str) -> None:
    """Click a shape on the editor's canvas and wait until the properties panel shows it."""
    page.click(f'#canvas .djs-element.djs-shape[data-element-id="{element_id}"]')
    page.wait_for_function(
        "id => (document.querySelector('#bio-properties-panel-id') || {}).value === id", arg=element_id
    )


def type_entry(page: Any, entry: str, value: str) -> None:
    """Type into a properties-panel entry and let its debounce pass."""
    field = page.locator(f"#bio-properties-panel-{entry}")
    field.fill(value)
    field.blur()
    page.wait_for_timeout(400)


def open_group(page: Any, group: str) -> None:
    """Open a properties-panel group unless it is open."""
    header = page.locator(f'[data-group-id="group-{group}"] .bio-properties-panel-group-header')
    if "open" not in (header.get_attribute("class") or ""):
        header.click()
