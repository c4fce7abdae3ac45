"""Staff who sign in through the agency's OpenID Connect provider, provisioned at each sign-in.

The provider says who someone is and which of its groups they belong to; ``RCP_OIDC_GROUP_MAP``
says which program groups those give. A user is created on first sign-in and their groups are
replaced by the mapped ones every time, so a change at the provider takes effect at the next
sign-in. An account is found by the provider's subject, never by the username alone, so nobody
takes over a local account (or another provider account) by choosing its name at the provider.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.errors import ServiceError
from service.identity import users
from service.identity.actors import ALL_GROUPS

if TYPE_CHECKING:
    from service.config import OidcSettings
    from service.services import Services
    from service.store import UnitOfWork
    from service.store.rows import UserRow

SOURCE = "oidc"
# Wider than local usernames: providers often name people by e-mail address (Entra, Okta).
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@+-]{1,99}$")


class NoProgramAccess(ServiceError):
    status = 403
    title = "No access to this program"
    type_slug = "no-program-access"


@dataclass(frozen=True)
class ExternalIdentity:
    """Who the provider says signed in, with the program groups their provider groups map to."""

    subject: str
    username: str
    display_name: str
    email: str | None
    groups: tuple[str, ...]
    provider_groups: tuple[str, ...]


def check_group_map(settings: OidcSettings) -> None:
    """Refuse a group map naming a program group that does not exist (at start-up, not sign-in)."""
    unknown = sorted({program for _, program in settings.group_map} - set(ALL_GROUPS))
    if unknown:
        raise ValueError(
            f"RCP_OIDC_GROUP_MAP names unknown group(s) {', '.join(unknown)}; "
            f"the program's groups are {', '.join(ALL_GROUPS)}"
        )


def identity_from_claims(claims: Mapping[str, Any], settings: OidcSettings) -> ExternalIdentity:
    """Read the subject, username, name, e-mail and mapped groups from validated ID token claims."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise users.SignInRefused("The identity provider did not say who you are (no subject).")
    username = str(claims.get(settings.username_claim) or subject).strip().lower()
    if not USERNAME.match(username):
        raise users.SignInRefused(
            f"The identity provider's name for you ('{username}') cannot be a username here: "
            "2-100 lower-case letters, digits, '.', '_', '@', '+' or '-'."
        )
    provider_groups = _claim_values(claims.get(settings.groups_claim))
    mapped = sorted({program for group, program in settings.group_map if group in provider_groups})
    name, email = claims.get("name"), claims.get("email")
    return ExternalIdentity(
        subject=subject,
        username=username,
        display_name=name if isinstance(name, str) and name else username,
        email=email if isinstance(email, str) and email else None,
        groups=tuple(mapped),
        provider_groups=tuple(sorted(provider_groups)),
    )


def sign_in_external(services: Services, claims: Mapping[str, Any]) -> users.User:
    """Create or update the provider's user with their mapped groups, in one audited transaction."""
    found = identity_from_claims(claims, services.settings.oidc)
    now = services.clock.now()
    with services.db.unit_of_work() as uow:
        row = uow.users.by_subject(SOURCE, found.subject)
        refusal = _refusal(uow, row, found)
        if refusal is not None:
            if row is not None and not found.groups:
                uow.users.set_groups(row["id"], [])  # sessions still open lose the lanes too
            _audit(uow, services, found, "refused", refusal[1])
            uow.commit()
            raise refusal[0]
        if row is None:
            user_id = uow.users.add_external(
                found.username, found.display_name, found.email, SOURCE, found.subject, now
            )
        else:
            user_id = row["id"]
            uow.users.update(user_id, display_name=found.display_name, email=found.email)
        uow.users.set_groups(user_id, list(found.groups))
        _audit(uow, services, found, "ok", None)
        uow.commit()
        signed_in = uow.users.by_subject(SOURCE, found.subject)
    assert signed_in is not None  # just written in this transaction
    return users.user_of(signed_in)


def _refusal(
    uow: UnitOfWork, row: UserRow | None, found: ExternalIdentity
) -> tuple[ServiceError, str] | None:
    """Return why this sign-in is refused (the error and the audit's word for it), or None."""
    if row is not None and not row["active"]:
        return users.SignInRefused("Your account here is deactivated. Ask an administrator."), "deactivated"
    if row is None and uow.users.by_username(found.username) is not None:
        taken = f"The username '{found.username}' belongs to another account here. Ask an administrator."
        return users.SignInRefused(taken), "username taken"
    if not found.groups:
        no_access = NoProgramAccess(
            f"You signed in as {found.username}, but none of your groups gives access to the "
            "Recordkeeping Compliance Program. Ask your administrator for access."
        )
        return no_access, "no mapped group"
    return None


def _claim_values(value: Any) -> set[str]:
    # Providers send a list of names; some send one name, or names separated by spaces.
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, Sequence):
        return {v for v in value if isinstance(v, str)}
    return set()


def _audit(
    uow: UnitOfWork, services: Services, found: ExternalIdentity, outcome: str, detail: str | None
) -> None:
    uow.audit.append(
        at=services.clock.now(),
        actor_kind="user",
        actor=found.username,
        action="sign-in",
        outcome=outcome,
        data={
            "source": SOURCE,
            "subject": found.subject,
            "groups": list(found.groups),
            "providerGroups": list(found.provider_groups),
        },
        detail=detail,
    )
