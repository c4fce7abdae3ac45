"""On an install without the [scale] extra, ``rcp worker`` and ``rcp scheduler`` say what to
install in one line and exit 2, never a traceback."""

from __future__ import annotations

import sys

import pytest

from service.cli import main


@pytest.mark.parametrize("command", ["worker", "scheduler"])
@pytest.mark.parametrize("missing", ["celery", "kombu.transport.redis", "redis", "psycopg"])
def test_scale_out_commands_name_the_missing_extra(
    command: str, missing: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # import fails as on a base install
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")

    with pytest.raises(SystemExit) as exited:
        main([command])

    out, err = capsys.readouterr()
    assert exited.value.code == 2
    assert out == ""
    assert err == (
        "rcp: error: scale-out needs the [scale] extra: pip install 'rcp-orchestrator[scale]'"
        f" (missing: {missing})\n"
    )
