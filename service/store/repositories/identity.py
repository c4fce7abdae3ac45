"""API tokens (stored hashed) and staff users with their groups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, func, insert, select, update

from service.store.rows import GroupMemberRow, TokenRow, UserRow
from service.store.schema import api_tokens as tk
from service.store.schema import user_groups as ug
from service.store.schema import users as ut
from service.store.typed import typed, typed_row, typed_rows


class TokenRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, token_id: str, name: str, secret_hash: str, scopes: list[str], now: datetime) -> None:
        self.conn.execute(
            insert(tk).values(id=token_id, name=name, secret_hash=secret_hash, scopes=scopes, created_at=now)
        )

    def get(self, token_id: str) -> TokenRow | None:
        r = self.conn.execute(select(tk).where(tk.c.id == token_id)).first()
        return typed_row(TokenRow, r)

    def by_name(self, name: str) -> TokenRow | None:
        """Return the active token of that name (revoked ones free their name), or None."""
        r = self.conn.execute(select(tk).where(tk.c.name == name, tk.c.revoked_at.is_(None))).first()
        return typed_row(TokenRow, r)

    def list(self) -> list[TokenRow]:
        return typed_rows(TokenRow, self.conn.execute(select(tk).order_by(tk.c.created_at)))

    def revoke(self, name: str, now: datetime) -> bool:
        result = self.conn.execute(
            update(tk).where(tk.c.name == name, tk.c.revoked_at.is_(None)).values(revoked_at=now)
        )
        return result.rowcount == 1

    def touch(self, token_id: str, now: datetime) -> None:
        self.conn.execute(update(tk).where(tk.c.id == token_id).values(last_used_at=now))


class UserRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def by_username(self, username: str) -> UserRow | None:
        r = self.conn.execute(select(ut).where(ut.c.username == username)).first()
        return self._with_groups(r._mapping) if r is not None else None

    def by_subject(self, source: str, subject: str) -> UserRow | None:
        """Return the user an identity provider knows by ``subject``, or None."""
        r = self.conn.execute(select(ut).where(ut.c.source == source, ut.c.subject == subject)).first()
        return self._with_groups(r._mapping) if r is not None else None

    def add_external(
        self, username: str, display_name: str, email: str | None, source: str, subject: str, now: datetime
    ) -> int:
        """Add a user who signs in through an identity provider (no usable password)."""
        result = self.conn.execute(
            insert(ut).values(
                username=username,
                display_name=display_name,
                email=email,
                password_hash="",  # never a valid Argon2 hash, so no password can match it
                active=True,
                created_at=now,
                source=source,
                subject=subject,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def groups(self, user_id: int) -> list[str]:
        rows = self.conn.execute(
            select(ug.c.group_name).where(ug.c.user_id == user_id).order_by(ug.c.group_name)
        )
        return list(rows.scalars())

    def upsert(
        self,
        username: str,
        display_name: str,
        email: str | None,
        password_hash: str,
        groups: list[str],
        now: datetime,
    ) -> int:
        existing = self.conn.execute(select(ut.c.id).where(ut.c.username == username)).scalar()
        if existing is None:
            result = self.conn.execute(
                insert(ut).values(
                    username=username,
                    display_name=display_name,
                    email=email,
                    password_hash=password_hash,
                    active=True,
                    created_at=now,
                )
            )
            user_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        else:
            user_id = int(existing)
            self.conn.execute(
                update(ut)
                .where(ut.c.id == user_id)
                .values(display_name=display_name, email=email, password_hash=password_hash, active=True)
            )
        self.conn.execute(delete(ug).where(ug.c.user_id == user_id))
        if groups:
            self.conn.execute(
                insert(ug), [{"user_id": user_id, "group_name": g} for g in sorted(set(groups))]
            )
        return user_id

    def update(self, user_id: int, **values: Any) -> None:
        """Change a user's display name, e-mail, password hash or active flag."""
        self.conn.execute(update(ut).where(ut.c.id == user_id).values(**values))

    def set_groups(self, user_id: int, groups: list[str]) -> None:
        self.conn.execute(delete(ug).where(ug.c.user_id == user_id))
        if groups:
            self.conn.execute(
                insert(ug), [{"user_id": user_id, "group_name": g} for g in sorted(set(groups))]
            )

    def in_group(self, group: str) -> list[GroupMemberRow]:
        """Return the active users of a group, by username."""
        rows = self.conn.execute(
            select(ut.c.username, ut.c.display_name)
            .join(ug, ug.c.user_id == ut.c.id)
            .where(ug.c.group_name == group, ut.c.active.is_(True))
            .order_by(ut.c.username)
        )
        return typed_rows(GroupMemberRow, rows)

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(ut)).scalar_one())

    def list(self) -> list[UserRow]:
        users = self.conn.execute(select(ut).order_by(ut.c.username)).all()
        return [self._with_groups(r._mapping) for r in users]

    def _with_groups(self, user: RowMapping) -> UserRow:
        return typed(UserRow, {**user, "groups": self.groups(user["id"])})
