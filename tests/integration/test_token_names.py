"""A revoked token's name can be given again; a name an active token holds is refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from service.cli import main
from service.store.schema import api_tokens


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))
    return db_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _tokens(url: str) -> list[tuple[str, bool]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(api_tokens.c.name, api_tokens.c.revoked_at).order_by(api_tokens.c.created_at)
            )
            return [(name, revoked is None) for name, revoked in rows]
    finally:
        engine.dispose()


def test_a_revoked_tokens_name_is_free_for_a_new_token(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "token", "create", "trade-portal")
    assert run(capsys, "token", "revoke", "trade-portal")[:2] == (0, "revoked trade-portal\n")

    code, out, err = run(capsys, "token", "create", "trade-portal", "--scopes", "read")

    assert (code, err) == (0, "")
    assert out.startswith("rcp_") and out != first[1]
    assert _tokens(env) == [("trade-portal", False), ("trade-portal", True)]
    # Revoking by name now means the new one, and afterwards the name is free once more.
    assert run(capsys, "token", "revoke", "trade-portal")[0] == 0
    assert run(capsys, "token", "create", "trade-portal")[0] == 0
    assert [active for _, active in _tokens(env)] == [False, False, True]


def test_a_name_an_active_token_holds_is_refused_with_one_line_and_exit_code_2(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "token", "create", "broker")[0] == 0

    code, out, err = run(capsys, "token", "create", "broker", "--scopes", "read")

    assert (code, out) == (2, "")
    assert err == "rcp token create: error: a token named 'broker' exists; revoke it or pick another name\n"
    assert _tokens(env) == [("broker", True)]


@pytest.mark.parametrize("name", ["", "x" * 201, "new\nline", "nul\x00byte"])
def test_a_name_the_store_cannot_keep_is_refused_with_one_line(
    env: str, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = run(capsys, "token", "create", name)

    assert (code, out) == (2, "")
    assert err == "rcp token create: error: token names are 1-200 characters, without control characters\n"
    assert _tokens(env) == []
