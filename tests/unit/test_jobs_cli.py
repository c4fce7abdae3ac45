"""``rcp worker`` and ``rcp scheduler`` need Redis: without REDIS_URL they say so and stop."""

from __future__ import annotations

import pytest

from service.cli import main


@pytest.mark.parametrize("command", ["worker", "scheduler"])
def test_scale_out_commands_refuse_to_start_without_redis(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))

    with pytest.raises(SystemExit) as stopped:
        main([command])

    assert stopped.value.code == 2
    assert "REDIS_URL is not set" in capsys.readouterr().err
