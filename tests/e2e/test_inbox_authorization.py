"""Every inbox route for every role (anonymous and each group): the status each one gets.

One table states the expected status of each route for each role; a refused request never shows
the case's data. Each test starts from a fresh case, so no test depends on another's changes.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from service.actions import documents, filters, tasks
from service.clock import MovableClock
from service.identity import users
from service.identity.actors import SYSTEM
from service.store.migrate import upgrade
from service.views import inbox
from tests.e2e.inbox_world import PEOPLE, VALID_REVIEW, World, build_world, csrf
from tests.program_support import program_services
from tests.support import START

# Each group's user; "anonymous" has no session.
ROLES = {
    "anonymous": None,
    "reviewers": "rita",
    "field_auditors": "fred",
    "field_director": "dana",
    "hq_regulatory_audit": "hank",
    "penalties": "pat",
    "supervisors": "sam",
    "analysts": "ana",
}
SIGN_IN = 303  # anonymous requests are sent to the sign-in page
VALID = VALID_REVIEW


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # {task}, {case} and {filter} are filled in per test
    form: dict[str, str] = field(default_factory=dict)
    claimed_by: str | None = None  # the task is claimed by this user before the request
    statuses: dict[str, int] = field(default_factory=dict)  # role -> status; "*" for the rest


def expect(anonymous: int, others: int, **roles: int) -> dict[str, int]:
    return {"anonymous": anonymous, "*": others, **roles}


def starters(status: int) -> dict[str, int]:
    """Return ``status`` for the groups that start certification_removal (identity.actors.STAFF_STARTS)."""
    return {"field_director": status, "supervisors": status}


def supervisors_only(status: int) -> dict[str, int]:
    """Return the statuses of a supervisors-only case action: ``status`` for them, 403 for others."""
    return expect(SIGN_IN, 403, supervisors=status)


START_PATH = "/cases/new/certification_removal"
# The table: for each route, the status for each role.
ROUTES = {
    "home": Route("GET", "/", statuses=expect(SIGN_IN, 302)),
    "inbox (my tasks)": Route("GET", "/inbox", statuses=expect(SIGN_IN, 200)),
    "inbox (group queue)": Route("GET", "/inbox?view=queue", statuses=expect(SIGN_IN, 200)),
    "inbox (all open)": Route("GET", "/inbox?view=all", statuses=expect(SIGN_IN, 403, supervisors=200)),
    "inbox (bad filter)": Route("GET", "/inbox?due_before=soon", statuses=expect(SIGN_IN, 422)),
    "task page": Route("GET", "/tasks/{task}", statuses=expect(SIGN_IN, 404, reviewers=200, supervisors=200)),
    "claim": Route(
        "POST", "/tasks/{task}/claim", statuses=expect(SIGN_IN, 404, reviewers=303, supervisors=303)
    ),
    "unclaim": Route(
        "POST",
        "/tasks/{task}/unclaim",
        claimed_by="rita",
        statuses=expect(SIGN_IN, 404, reviewers=303, supervisors=303),
    ),
    "reassign": Route(
        "POST", "/tasks/{task}/reassign", {"assignee": "rob"}, statuses=expect(SIGN_IN, 403, supervisors=303)
    ),
    "save draft": Route(
        "POST",
        "/tasks/{task}",
        {"action": "draft", "notes": "half done"},
        claimed_by="rita",
        statuses=expect(SIGN_IN, 404, reviewers=303, supervisors=303),
    ),
    "complete": Route(
        "POST",
        "/tasks/{task}",
        {"action": "complete", **VALID},
        claimed_by="rita",
        statuses=expect(SIGN_IN, 404, reviewers=303, supervisors=303),
    ),
    "case list": Route("GET", "/cases", statuses=expect(SIGN_IN, 200)),
    "case list, searched": Route("GET", "/cases?q=confidential&status=open", statuses=expect(SIGN_IN, 200)),
    "case list (bad filter)": Route("GET", "/cases?status=lost", statuses=expect(SIGN_IN, 422)),
    "save a case-list filter": Route(
        "POST",
        "/cases/filters",
        {"name": "Closed cases", "status": "completed"},
        statuses=expect(SIGN_IN, 303),
    ),
    "case page": Route("GET", "/cases/{case}", statuses=expect(SIGN_IN, 404, reviewers=200, supervisors=200)),
    "case diagram": Route(
        "GET", "/cases/{case}/diagram.bpmn", statuses=expect(SIGN_IN, 404, reviewers=200, supervisors=200)
    ),
    "notice page": Route(
        "GET", "/notices/{notice}", statuses=expect(SIGN_IN, 404, reviewers=200, supervisors=200)
    ),
    "notice PDF": Route(
        "GET", "/notices/{notice}.pdf", statuses=expect(SIGN_IN, 404, reviewers=200, supervisors=200)
    ),
    "case record (zip)": Route(
        "GET", "/cases/{case}/record.zip", statuses=expect(SIGN_IN, 404, reviewers=200, supervisors=200)
    ),
    # No file sent: past the case check, the action refuses the empty upload.
    "attach documents": Route(
        "POST", "/cases/{case}/documents", statuses=expect(SIGN_IN, 404, reviewers=422, supervisors=422)
    ),
    "case document": Route(
        "GET",
        "/cases/{case}/documents/{document}",
        statuses=expect(SIGN_IN, 404, reviewers=200, supervisors=200),
    ),
    "delete a document": Route(
        "POST",
        "/cases/{case}/documents/{document}/delete",
        {"reason": "sent to the wrong case"},
        statuses=expect(SIGN_IN, 404, reviewers=403, supervisors=303),
    ),
    "case document preview": Route(
        "GET",
        "/cases/{case}/documents/{document}/preview",
        statuses=expect(SIGN_IN, 404, reviewers=200, supervisors=200),
    ),
    "save filter": Route(
        "POST", "/inbox/filters", {"name": "Mine", "overdue": "1"}, statuses=expect(SIGN_IN, 303)
    ),
    "delete rita's filter": Route(
        "POST", "/inbox/filters/{filter}/delete", statuses=expect(SIGN_IN, 404, reviewers=303)
    ),
    "deadline board": Route("GET", "/deadlines", statuses=expect(SIGN_IN, 403, supervisors=200)),
    "incidents": Route("GET", "/incidents", statuses=expect(SIGN_IN, 403, supervisors=200)),
    "retry a case without incident": Route(
        "POST",
        "/cases/{case}/retry",
        {"reason": "mail server fixed"},
        statuses=expect(SIGN_IN, 403, supervisors=409),
    ),
    "retry without a reason": Route(
        "POST", "/cases/{case}/retry", statuses=expect(SIGN_IN, 403, supervisors=422)
    ),
    # Field auditors start record_demand (§163.6(a)), so they see the choices, but not the removal form.
    "start a case: choices": Route(
        "GET", "/cases/new", statuses=expect(SIGN_IN, 403, **starters(200), field_auditors=200)
    ),
    "start a case: form": Route("GET", START_PATH, statuses=expect(SIGN_IN, 403, **starters(200))),
    "start a case: facts missing": Route(
        "POST",
        START_PATH,
        {"business_key": "RM-AZ-1", "importer_number": "IMP-1", "reason": "repeated failures"},
        statuses=expect(SIGN_IN, 403, **starters(422)),
    ),
    "suspend": Route("POST", "/cases/{case}/suspend", {"reason": "counsel"}, statuses=supervisors_only(303)),
    "suspend without a reason": Route("POST", "/cases/{case}/suspend", statuses=supervisors_only(422)),
    "resume an active case": Route(
        "POST", "/cases/{case}/resume", {"reason": "answered"}, statuses=supervisors_only(409)
    ),
    "cancel": Route(
        "POST",
        "/cases/{case}/cancel",
        {"reason": "entered twice", "confirm": "yes"},
        statuses=supervisors_only(303),
    ),
    "cancel unconfirmed": Route(
        "POST", "/cases/{case}/cancel", {"reason": "entered twice"}, statuses=supervisors_only(422)
    ),
    "sign out": Route("POST", "/logout", statuses=expect(SIGN_IN, 303)),
    "sign-in page": Route("GET", "/login", statuses=expect(200, 200)),
    "sign in, wrong password": Route(
        "POST", "/login", {"username": "nobody", "password": "wrong-password"}, statuses=expect(401, 401)
    ),
    # Public, as the sign-in page is; without an issuer configured (as here) they are not found.
    # With one, they start the sign-in and check its answer (tests/integration/test_oidc_sign_in.py).
    "sign in with the provider": Route("GET", "/login/oidc", statuses=expect(404, 404)),
    "provider's answer": Route("GET", "/login/oidc/callback", statuses=expect(404, 404)),
    "health": Route("GET", "/healthz", statuses=expect(200, 200)),
    "API without a token": Route("GET", "/api/v1/tasks", statuses=expect(401, 401)),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("authz")
    template = tmp / "template.db"
    upgrade(f"sqlite:///{template}")
    shutil.copy(template, tmp / "rcp.db")
    # The program's processes too: staff start certification_removal from the web.
    services = program_services(f"sqlite:///{tmp / 'rcp.db'}", tmp, MovableClock(START))
    yield build_world(services, tuple(PEOPLE))
    services.close()


@pytest.fixture(scope="module")
def sessions(world: World) -> dict[str, str]:
    """Sign each user in once; every test starts from a copy of that session cookie."""
    found = {}
    for role, username in ROLES.items():
        client = world.client(username)
        if username is None:
            client.get("/login")  # an anonymous session with a CSRF token
        cookie = client.get_cookie("session")
        assert cookie is not None
        found[role] = cookie.value
    return found


def client_for(world: World, sessions: dict[str, str], role: str) -> FlaskClient:
    client = world.app.test_client()
    client.set_cookie("session", sessions[role])
    return client


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("name", list(ROUTES))
def test_each_route_answers_each_role_as_the_table_says(
    world: World, sessions: dict[str, str], name: str, role: str, tmp_path: Path
) -> None:
    route = ROUTES[name]
    business_key = f"AZ-{name.replace(' ', '-')}-{role}"
    case_id = world.start_case(business_key, applicant="Confidential Applicant Inc")
    task_id = world.open_task(case_id)["id"]
    if route.claimed_by:
        tasks.claim(world.services, task_id, users.active_user(world.services, route.claimed_by).actor())  # type: ignore[union-attr]
    filter_id = _ritas_filter(world, business_key) if "{filter}" in route.path else 0
    notice = world.add_notice(case_id, business_key) if "{notice}" in route.path else ""
    document = _document(world, business_key) if "{document}" in route.path else ""
    path = route.path.format(task=task_id, case=case_id, filter=filter_id, notice=notice, document=document)
    client = client_for(world, sessions, role)

    if route.method == "GET":
        response = client.get(path)
    else:
        token = csrf(client, "/login" if role == "anonymous" else "/inbox")
        # Each role's wrong password names its own stranger: the sign-in throttle (rightly) slows
        # one account tried again and again, which is not what this table is about.
        form = {k: f"{v}-{role}" if k == "username" else v for k, v in route.form.items()}
        response = client.post(path, data={"csrf_token": token, **form})

    expected = route.statuses.get(role, route.statuses["*"])
    assert response.status_code == expected, f"{route.method} {path} as {role}: {response.text[:300]}"
    if expected == SIGN_IN and role == "anonymous":
        assert response.headers["Location"].startswith("/login")
    if response.status_code in (401, 403, 404):
        assert business_key not in response.text
        assert "Confidential Applicant" not in response.text
        assert response.mimetype != "application/pdf"


def _document(world: World, business_key: str) -> str:
    """Attach a PDF to the case (as the system) and return its id."""
    upload = documents.Upload("records.pdf", io.BytesIO(b"%PDF-1.4 confidential records"))
    return documents.attach(world.services, SYSTEM, business_key, [upload])[0]["id"]


def _ritas_filter(world: World, name: str) -> int:
    rita = users.active_user(world.services, "rita")
    assert rita is not None
    filters.save(world.services, rita.actor(), name, inbox.InboxQuery(overdue=True))
    return next(int(f["id"]) for f in inbox.saved_filters(world.services, rita.actor()) if f["name"] == name)


def test_the_table_covers_every_inbox_route(world: World) -> None:
    web_rules = {
        (method, rule.rule)
        for rule in world.app.url_map.iter_rules()
        if rule.endpoint.startswith("web.")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    covered = {
        (
            route.method,
            route.path.split("?")[0].replace("{task}", "<task_id>").replace("{case}", "<instance_id>"),
        )
        for route in ROUTES.values()
    }
    covered = {
        (
            m,
            p.replace("{filter}", "<int:filter_id>")
            .replace("{notice}", "<number>")
            .replace("{document}", "<document_id>"),
        )
        for m, p in covered
    }
    covered = {(m, p.replace(START_PATH, "/cases/new/<process_key>")) for m, p in covered}
    assert web_rules - covered == set()


def test_every_role_of_the_table_has_a_user_in_that_group_alone() -> None:
    for role, username in ROLES.items():
        if username is not None:
            assert PEOPLE[username][1] == [role]
