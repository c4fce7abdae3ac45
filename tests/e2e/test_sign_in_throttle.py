"""Failed sign-ins slow down whoever fails, not the account's owner: delays per account and
address, per address and (short) per account; a supervisor can unlock; the audit log says why."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from service.cli import main
from service.clock import MovableClock
from service.store.schema import audit_log
from tests.e2e.inbox_world import PASSWORD, World, build_world, csrf, notices
from tests.support import Switchboard, make_services

STRANGER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture
def world(db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[World]:
    services = make_services(db_url, tmp_path, clock, board)
    world = build_world(services, ("rita", "sam"))
    yield world
    services.close()


def attempt(world: World, username: str, password: str, address: str) -> tuple[int, list[str], str]:
    """Post the sign-in form from a client address; return status, page messages, Retry-After."""
    client = world.app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    form = {"csrf_token": csrf(client, "/login"), "username": username, "password": password}
    response = client.post("/login", data=form)
    return response.status_code, notices(response.text), response.headers.get("Retry-After", "")


def wait_message(seconds: int) -> list[str]:
    return [f"Sign-in failed Too many failed sign-ins. Try again in {seconds} seconds."]


def sign_in_audit(world: World) -> list[tuple[str, str, str | None]]:
    with world.services.db.unit_of_work(readonly=True) as uow:
        rows = uow.conn.execute(
            select(audit_log.c.actor, audit_log.c.outcome, audit_log.c.detail)
            .where(audit_log.c.action == "sign-in")
            .order_by(audit_log.c.id)
        )
        return [tuple(r) for r in rows]


def test_a_stranger_hammering_an_account_waits_longer_and_longer_while_its_owner_signs_in(
    world: World, clock: MovableClock
) -> None:
    for _ in range(4):
        assert attempt(world, "rita", "guess", STRANGER)[0] == 401
    assert attempt(world, "rita", "guess", STRANGER)[0] == 401  # the fifth starts the delay

    assert attempt(world, "rita", PASSWORD, STRANGER) == (429, wait_message(30), "30")
    assert attempt(world, "rita", PASSWORD, OWNER)[0] == 303  # the owner, elsewhere, is not held up

    clock.advance(timedelta(seconds=31))
    assert attempt(world, "rita", "guess", STRANGER)[0] == 401
    assert attempt(world, "rita", "guess", STRANGER) == (429, wait_message(60), "60")  # doubled
    for _ in range(8):
        clock.advance(timedelta(hours=0.5))
        attempt(world, "rita", "guess", STRANGER)
    assert attempt(world, "rita", "guess", STRANGER)[:2] == (429, wait_message(900))  # capped at 15 min
    clock.advance(timedelta(seconds=30))  # the account's own short delay is over, the stranger's is not
    assert attempt(world, "rita", PASSWORD, STRANGER)[0] == 429
    assert attempt(world, "rita", PASSWORD, OWNER)[0] == 303


def test_one_address_guessing_across_accounts_is_held_back_on_every_account(world: World) -> None:
    for n in range(20):
        assert attempt(world, f"user{n}", "guess", STRANGER)[0] == 401

    assert attempt(world, "rita", PASSWORD, STRANGER) == (429, wait_message(60), "60")
    assert attempt(world, "rita", PASSWORD, OWNER)[0] == 303


def test_guesses_from_many_addresses_add_only_a_short_delay_to_the_account(
    world: World, clock: MovableClock
) -> None:
    for n in range(10):
        assert attempt(world, "sam", "guess", f"192.0.2.{n}")[0] == 401

    assert attempt(world, "sam", PASSWORD, OWNER) == (429, wait_message(2), "2")
    clock.advance(timedelta(seconds=3))
    assert attempt(world, "sam", PASSWORD, OWNER)[0] == 303  # the supervisor is in after 2 s
    for n in range(14):  # 2 s doubled four times would be 32 s
        clock.advance(timedelta(minutes=1))
        attempt(world, "sam", "guess", f"192.0.2.{100 + n}")
    status, _, wait = attempt(world, "sam", PASSWORD, OWNER)
    assert status == 429 and int(wait) <= 30  # the account's own delay never grows past 30 s
    clock.advance(timedelta(seconds=30))
    assert attempt(world, "sam", PASSWORD, OWNER)[0] == 303


def test_the_throttles_start_and_its_first_refusal_are_audited_and_later_refusals_are_not(
    world: World,
) -> None:
    for _ in range(5):
        attempt(world, "rita", "guess", STRANGER)
    for _ in range(40):
        assert attempt(world, "rita", "guess", STRANGER)[0] == 429

    entries = sign_in_audit(world)
    assert [outcome for _, outcome, _ in entries] == ["refused"] * 6
    assert entries[4][2] == "throttled: this account from this address waits 30 s after 5 failures"
    assert entries[5][2] == "throttled: this account from this address, 30 s left; later attempts not logged"


def test_a_supervisor_unlocks_an_account_and_the_unlock_is_audited(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", str(world.services.settings.database_url))
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(world.services.settings.instance_dir))
    for _ in range(5):
        attempt(world, "rita", "mistyped", OWNER)
    assert attempt(world, "rita", PASSWORD, OWNER)[0] == 429

    capsys.readouterr()  # the pages' access log lines
    assert main(["user", "unlock", "rita"]) == 0
    assert capsys.readouterr().out == "unlocked rita (sign-in delays cleared)\n"

    assert attempt(world, "rita", PASSWORD, OWNER)[0] == 303
    capsys.readouterr()
    with world.services.db.unit_of_work(readonly=True) as uow:
        row = uow.conn.execute(select(audit_log).where(audit_log.c.action == "user-unlock")).one()
    assert (row.actor, row.outcome, row.data["username"]) == ("cli", "ok", "rita")
    assert main(["user", "unlock", "nobody"]) == 2
    out, err = capsys.readouterr()
    assert (out, err.splitlines()[-1]) == ("", "rcp user: error: no user 'nobody'")
    assert "Traceback" not in err


@pytest.mark.parametrize("typed", ["x" * 500, "ri\tta"])
def test_a_username_no_account_could_have_is_refused_like_any_wrong_one(world: World, typed: str) -> None:
    assert attempt(world, typed, PASSWORD, STRANGER) == (
        401,
        ["Sign-in failed The username or password is not right."],
        "",
    )
