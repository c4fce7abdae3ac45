"""Password checks of staff users (Argon2id) and the refusals of a sign-in."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from service.errors import ServiceError


class SignInRefused(ServiceError):
    status = 401
    title = "Sign-in refused"
    type_slug = "sign-in-refused"


class SignInThrottled(SignInRefused):
    """Too many failures under one of the attempt's keys: refused unchecked until its delay ends."""

    status = 429
    title = "Too many sign-in attempts"
    type_slug = "sign-in-throttled"

    def __init__(self, seconds: int) -> None:
        unit = "second" if seconds == 1 else "seconds"
        super().__init__(f"Too many failed sign-ins. Try again in {seconds} {unit}.", retry_after=seconds)
        self.retry_after = seconds


@cache
def hasher() -> PasswordHasher:
    """Return the Argon2id hasher with the library's RFC 9106 defaults."""
    return PasswordHasher()


@cache
def dummy_hash() -> str:
    """Return a real hash of no one's password: an unknown username takes as long as a known one."""
    return hasher().hash("not a password of anyone")


def verify(password_hash: str, password: str) -> bool:
    """Return whether the password matches the hash (False for an unusable hash)."""
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
