"""PostgreSQL checks a state save's version itself, so the save can travel with the COMMIT

A trigger saves its instance only if the row is still at the version it loaded; until now the
client read the row count back before sending COMMIT, a round trip of its own. With
``rcp_expect_rows`` the save's statement fails on the server when it did not update exactly one
row, and a pipeline stops at a failed statement: the COMMIT behind it never runs. The error's
SQLSTATE (``RCP09``) tells the service it is that refusal (``service.store.errors``). SQLite
keeps the client-side check (it has no round trips).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 08:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION rcp_expect_rows(touched bigint, expected bigint, refusal text) RETURNS bigint
        LANGUAGE plpgsql AS $$
        BEGIN
            IF touched <> expected THEN
                RAISE EXCEPTION USING ERRCODE = 'RCP09', MESSAGE = refusal;
            END IF;
            RETURN touched;
        END
        $$
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION rcp_expect_rows(bigint, bigint, text)")
