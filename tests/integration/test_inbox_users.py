"""Staff users: created with groups, passwords hashed with Argon2id, audited; CLI and demo users."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from service.cli import main
from service.clock import MovableClock
from service.errors import Conflict, InvalidData
from service.identity import users
from service.identity.actors import SYSTEM
from service.services import Services
from tests.support import START, Switchboard, make_services


def test_a_user_is_stored_with_an_argon2id_hash_and_signs_in_with_their_groups(services: Services) -> None:
    users.create(
        services, "rita", "a-long-password", ["reviewers", "penalties"], display_name="Rita R", by=SYSTEM
    )

    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.users.by_username("rita")
    assert row is not None and row["password_hash"].startswith("$argon2id$")
    assert "a-long-password" not in row["password_hash"]
    signed_in = users.sign_in(services, " Rita ", "a-long-password")
    assert signed_in.actor().groups == frozenset({"reviewers", "penalties"})
    assert signed_in.display_name == "Rita R"


@pytest.mark.parametrize(
    ("username", "password", "groups", "field"),
    [
        ("rita", "short", ["reviewers"], "password"),
        ("rita", "a-long-password", ["reviewers", "admins"], "groups"),
        ("Rita Smith", "a-long-password", ["reviewers"], "username"),
    ],
)
def test_bad_usernames_short_passwords_and_unknown_groups_are_refused(
    services: Services, username: str, password: str, groups: list[str], field: str
) -> None:
    with pytest.raises(InvalidData) as refused:
        users.create(services, username, password, groups, by=SYSTEM)

    assert [e.field for e in refused.value.errors] == [field]
    assert users.list_users(services) == []


def test_a_taken_username_is_refused(services: Services) -> None:
    users.create(services, "rita", "a-long-password", ["reviewers"], by=SYSTEM)
    with pytest.raises(Conflict):
        users.create(services, "rita", "another-password", ["penalties"], by=SYSTEM)


def test_user_changes_and_sign_ins_are_audited_without_passwords(services: Services) -> None:
    users.create(services, "rita", "a-long-password", ["reviewers"], by=SYSTEM)
    users.update(services, "rita", by=SYSTEM, groups=["supervisors"], password="a-newer-password")
    with pytest.raises(users.SignInRefused):
        users.sign_in(services, "rita", "a-long-password", address="192.0.2.1")
    users.sign_in(services, "rita", "a-newer-password", address="192.0.2.1")

    with services.db.unit_of_work(readonly=True) as uow:
        entries = [(e["action"], e["outcome"], e["data"]) for e in _log(uow)]
    assert entries == [
        ("user-create", "ok", {"username": "rita", "groups": ["reviewers"]}),
        ("user-update", "ok", {"username": "rita", "groups": ["supervisors"], "passwordChanged": True}),
        ("sign-in", "refused", {"address": "192.0.2.1"}),  # the client address, for whoever investigates
        ("sign-in", "ok", {"address": "192.0.2.1"}),
    ]


def _log(uow: object) -> list[dict[str, object]]:
    from sqlalchemy import select

    from service.store.schema import audit_log

    rows = uow.conn.execute(select(audit_log).order_by(audit_log.c.id))  # type: ignore[attr-defined]
    return [dict(r._mapping) for r in rows]


def test_demo_users_are_made_once_on_a_database_without_users(services: Services) -> None:
    assert users.ensure_demo_users(services) == len(users.DEMO_USERS)
    assert users.ensure_demo_users(services) == 0

    made = {u.username: u.groups for u in users.list_users(services)}
    assert set(made.values()) == {
        ("reviewers",),
        ("field_auditors",),
        ("field_director",),
        ("hq_regulatory_audit",),
        ("penalties",),
        ("supervisors",),
        ("analysts",),
    }
    assert users.sign_in(services, "reviewer", users.DEMO_PASSWORD).username == "reviewer"


def test_rcp_run_prepares_the_demo_users() -> None:
    from service.cli.core import RUN_PREPARERS

    assert users.ensure_demo_users in RUN_PREPARERS


def test_demo_users_are_not_made_when_turned_off_or_when_users_exist(services: Services) -> None:
    off = replace(services, settings=replace(services.settings, demo_users=False))
    assert users.ensure_demo_users(off) == 0
    users.create(services, "admin", "a-long-password", ["supervisors"], by=SYSTEM)
    assert users.ensure_demo_users(services) == 0
    assert [u.username for u in users.list_users(services)] == ["admin"]


def test_the_cli_creates_lists_and_updates_users(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("RITA_PASSWORD", "a-long-password")

    assert (
        main(
            [
                "user",
                "create",
                "rita",
                "--groups",
                "reviewers,penalties",
                "--name",
                "Rita R",
                "--password-env",
                "RITA_PASSWORD",
            ]
        )
        == 0
    )
    assert main(["user", "create", "rob", "--groups", "wizards", "--password-env", "RITA_PASSWORD"]) == 2
    assert main(["user", "update", "rita", "--groups", "supervisors", "--deactivate"]) == 0
    assert main(["user", "list"]) == 0

    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "created rita (penalties, reviewers)",
        "updated rita (supervisors) inactive",
        "USERNAME  NAME    E-MAIL  GROUPS       STATE",
        "rita      Rita R  -       supervisors  inactive",
    ]
    assert "unknown group(s): wizards" in err
    assert main(["user", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"username": "rita", "name": "Rita R", "email": None, "groups": ["supervisors"], "state": "inactive"}
    ]
    services = make_services(sqlite_url, tmp_path, MovableClock(START), Switchboard())
    try:
        with pytest.raises(users.SignInRefused):
            users.sign_in(services, "rita", "a-long-password")
    finally:
        services.close()
