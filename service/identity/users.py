"""Staff users: created and changed from the CLI, passwords hashed with Argon2id, groups = lanes.

Failed sign-ins are throttled with growing delays per account and client address, per address
and (briefly) per account (``service.identity.throttle``; NIST SP 800-53 AC-7), whether or not the
username exists; ``unlock`` lets a supervisor clear an account's delays.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.errors import Conflict, FieldError, InvalidData, NotFound
from service.identity import passwords, throttle
from service.identity.actors import ALL_GROUPS, SUPERVISORS, Actor
from service.identity.passwords import SignInRefused, SignInThrottled

if TYPE_CHECKING:
    from service.services import Services
    from service.store import UnitOfWork
    from service.store.rows import UserRow

log = logging.getLogger("rcp.users")

MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
LOCAL = "local"  # users.source of a user with a password; "oidc" for the identity provider's

# Demo accounts `rcp run` creates on a database without users (documented in docs/inbox.md).
DEMO_PASSWORD = "rcp-demo-password"  # noqa: S105  (a published demo credential, never a secret)
DEMO_USERS = (
    ("reviewer", "Rita Reviewer", ("reviewers",)),
    ("auditor", "Fred Field Auditor", ("field_auditors",)),
    ("director", "Dana Field Director", ("field_director",)),
    ("hq", "Hal Headquarters Audit", ("hq_regulatory_audit",)),
    ("penalties", "Pat Penalties Officer", ("penalties",)),
    ("supervisor", "Sam Supervisor", (SUPERVISORS,)),
    ("analyst", "Ana Analyst", ("analysts",)),
)


@dataclass(frozen=True)
class User:
    """A staff user as the rest of the service sees it (never the password hash)."""

    username: str
    display_name: str
    email: str | None
    groups: tuple[str, ...]
    active: bool
    fingerprint: str

    def actor(self) -> Actor:
        """Return the actor the service layer checks and audits."""
        return Actor("user", self.username, frozenset(self.groups))


def user_of(row: UserRow) -> User:
    """Return the user a row describes; its fingerprint changes with its password (or subject)."""
    # A provider's user has no password: the subject stands in, so only deactivation ends a session.
    secret = row["password_hash"] if row["source"] == LOCAL else f"{row['source']}:{row['subject']}"
    return User(
        username=row["username"],
        display_name=row["display_name"],
        email=row["email"],
        groups=tuple(row["groups"]),
        active=bool(row["active"]),
        fingerprint=fingerprint(secret),
    )


def fingerprint(password_hash: str) -> str:
    """Return a short digest of a password hash: sessions carry it, so a new password ends them."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def check_groups(groups: list[str]) -> list[str]:
    unknown = sorted(set(groups) - set(ALL_GROUPS))
    if unknown:
        raise InvalidData(
            f"unknown group(s): {', '.join(unknown)}; choose from {', '.join(ALL_GROUPS)}",
            [FieldError("groups", f"unknown: {', '.join(unknown)}")],
        )
    return sorted(set(groups))


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidData(
            f"passwords have at least {MIN_PASSWORD_LENGTH} characters",
            [FieldError("password", f"at least {MIN_PASSWORD_LENGTH} characters")],
        )
    return password


def create(
    services: Services,
    username: str,
    password: str,
    groups: list[str],
    *,
    display_name: str | None = None,
    email: str | None = None,
    by: Actor,
) -> User:
    """Create a staff user with groups; refused when the username is taken."""
    if not USERNAME.match(username):
        raise InvalidData(
            "usernames are 2-64 lower-case letters, digits, '.', '_' or '-'",
            [FieldError("username", "invalid")],
        )
    groups = check_groups(groups)
    password_hash = passwords.hasher().hash(check_password(password))
    with services.db.unit_of_work() as uow:
        if uow.users.by_username(username) is not None:
            raise Conflict(f"user '{username}' exists; use 'rcp user update'")
        now = services.clock.now()
        uow.users.upsert(username, display_name or username, email, password_hash, groups, now)
        _audit(uow, services, by, "user-create", {"username": username, "groups": groups})
        uow.commit()
        return user_of(_found(uow, username))


def update(
    services: Services,
    username: str,
    *,
    by: Actor,
    groups: list[str] | None = None,
    password: str | None = None,
    display_name: str | None = None,
    email: str | None = None,
    active: bool | None = None,
) -> User:
    """Change a user's groups, password, name, e-mail or active flag."""
    values: dict[str, Any] = {}
    if password is not None:
        values["password_hash"] = passwords.hasher().hash(check_password(password))
    if display_name is not None:
        values["display_name"] = display_name
    if email is not None:
        values["email"] = email
    if active is not None:
        values["active"] = active
    with services.db.unit_of_work() as uow:
        row = _found(uow, username)
        if password is not None and row["source"] != LOCAL:
            raise Conflict(
                f"'{username}' signs in through the identity provider: a password would never be used"
            )
        if values:
            uow.users.update(row["id"], **values)
        if groups is not None:
            uow.users.set_groups(row["id"], check_groups(groups))
        changed = {k: v for k, v in values.items() if k != "password_hash"}
        _audit(
            uow,
            services,
            by,
            "user-update",
            {"username": username, "groups": groups, "passwordChanged": password is not None, **changed},
        )
        uow.commit()
        return user_of(_found(uow, username))


def list_users(services: Services) -> list[User]:
    with services.db.unit_of_work(readonly=True) as uow:
        return [user_of(row) for row in uow.users.list()]


def active_user(services: Services, username: str) -> User | None:
    """Return an active user by username (the session's user on every request), or None."""
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.users.by_username(username)
    return user_of(row) if row is not None and row["active"] else None


def sign_in(services: Services, username: str, password: str, *, address: str | None = None) -> User:
    """Check a username and password from a client address; throttle repeated failures."""
    now = services.clock.now()
    username = _printable(username.strip().lower())
    if not services.settings.oidc.local_passwords:
        _refuse_passwords(services, username)
    keys = throttle.keys(username, throttle.address_key(address))
    with services.db.unit_of_work() as uow:
        found = uow.logins.failures([k.id for k in keys])
        block = throttle.blocking(found, keys, now)
        if block is not None:
            noted = throttle.note_refusal(uow, block, found[block.key.id], now)
            if noted:  # the first refusal of a delay only: later ones would flood the log
                _audit(uow, services, _who(username), "sign-in", noted[1], outcome="refused", detail=noted[0])
            uow.commit()
            raise SignInThrottled(block.seconds(now))
        row = uow.users.by_username(username) if username else None
        # Only local users have passwords: the identity provider's sign in there.
        row = row if row is not None and row["source"] == LOCAL else None
        # Always one Argon2 check, so a missing username answers as slowly as a wrong password.
        matches = passwords.verify(row["password_hash"] if row else passwords.dummy_hash(), password)
        if row is not None and row["active"] and matches:
            # The account's keys only: a success must not wipe what an address did to others.
            uow.logins.clear([k.id for k in keys if k.rule is not throttle.ADDRESS])
            if passwords.hasher().check_needs_rehash(row["password_hash"]):
                uow.users.update(row["id"], password_hash=passwords.hasher().hash(password))
            _audit(uow, services, Actor("user", username), "sign-in", {"address": keys[0].address})
            uow.commit()
            return user_of(_found(uow, username))
        started = throttle.count_failure(uow, keys, found, now)
        data = {"address": keys[0].address}
        _audit(uow, services, _who(username), "sign-in", data, outcome="refused", detail=started)
        uow.commit()
    raise SignInRefused("The username or password is not right.")


def unlock(services: Services, username: str, *, by: Actor) -> int:
    """Clear every sign-in delay of an account (from any address); return how many counters went."""
    username = username.strip().lower()
    with services.db.unit_of_work() as uow:
        _found(uow, username)
        cleared = uow.logins.clear_account(username)
        _audit(uow, services, by, "user-unlock", {"username": username, "cleared": cleared})
        uow.commit()
    return cleared


def _refuse_passwords(services: Services, username: str) -> None:
    with services.db.unit_of_work() as uow:
        actor = Actor("user", username or "-")
        _audit(uow, services, actor, "sign-in", None, outcome="refused", detail="local passwords off")
        uow.commit()
    label = services.settings.oidc.label
    raise SignInRefused(f"Signing in with a password is turned off here. Sign in with {label}.")


def record_sign_out(services: Services, user: User) -> None:
    with services.db.unit_of_work() as uow:
        _audit(uow, services, user.actor(), "sign-out", None)
        uow.commit()


def ensure_demo_users(services: Services) -> int:
    """Create the demo users on a database that has no user yet; return how many were made."""
    if not services.settings.demo_users or not services.settings.oidc.local_passwords:
        return 0
    with services.db.unit_of_work(readonly=True) as uow:
        if uow.users.count() > 0:
            return 0
    for username, name, groups in DEMO_USERS:
        create(
            services, username, DEMO_PASSWORD, list(groups), display_name=name, by=Actor("system", "rcp run")
        )
    log.warning("created demo users (password %r); see docs/inbox.md", DEMO_PASSWORD)
    return len(DEMO_USERS)


def _printable(username: str) -> str:
    """Return a typed username as counters and the audit log can keep it (no user has another)."""
    return username if USERNAME.match(username) else re.sub(r"[\x00-\x1f\x7f]", "?", username)[:100]


def _who(username: str) -> Actor:
    return Actor("user", username or "-")


def _found(uow: UnitOfWork, username: str) -> UserRow:
    row = uow.users.by_username(username)
    if row is None:
        raise NotFound(f"no user '{username}'")
    return row


def _audit(
    uow: UnitOfWork,
    services: Services,
    actor: Actor,
    action: str,
    data: Any,
    *,
    outcome: str = "ok",
    detail: str | None = None,
) -> None:
    uow.audit.append(
        at=services.clock.now(),
        actor_kind=actor.kind,
        actor=actor.name,
        action=action,
        outcome=outcome,
        data=data,
        detail=detail,
    )
