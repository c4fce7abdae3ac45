"""List commands print a table with a header row or, with ``--json``, an array for scripts; stdout
carries only the command's output and expected refusals are one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from service.cli import main

RCP = Path(sys.executable).with_name("rcp")
LOG_LINE = re.compile(r"\b(DEBUG|INFO|WARNING|ERROR)\b|alembic|Traceback")


@pytest.fixture
def env(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    """Run one rcp command in this process; return its exit code, stdout lines and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def columns(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_token_list_prints_a_header_row_and_aligned_columns(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "token", "create", "trade-portal", "--scopes", "start,read")[0] == 0
    assert run(capsys, "token", "create", "broker")[0] == 0
    assert run(capsys, "token", "revoke", "broker")[:2] == (0, ["revoked broker"])

    code, lines, _ = run(capsys, "token", "list")

    assert code == 0
    assert columns(lines[0]) == ["NAME", "SCOPES", "STATE", "CREATED", "LAST USED"]
    assert [columns(line)[:3] for line in lines[1:]] == [
        ["trade-portal", "read,start", "active"],
        ["broker", "message,read,start", "revoked"],
    ]
    assert [columns(line)[-1] for line in lines[1:]] == ["-", "-"]  # never used
    assert lines[0].index("SCOPES") == lines[1].index("read,start") == lines[2].index("message,read")
    assert lines[0].index("STATE") == lines[1].index("active") == lines[2].index("revoked")


def test_token_list_json_is_an_array_with_stable_keys(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "token", "create", "trade-portal", "--scopes", "start,read")

    code, lines, _ = run(capsys, "token", "list", "--json")

    listed = json.loads("\n".join(lines))
    assert code == 0
    assert [sorted(t) for t in listed] == [["createdAt", "lastUsedAt", "name", "scopes", "state"]]
    assert listed[0] | {"createdAt": None} == {
        "name": "trade-portal",
        "scopes": ["read", "start"],
        "state": "active",
        "createdAt": None,
        "lastUsedAt": None,
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", listed[0]["createdAt"])


def test_webhook_list_and_deliveries_have_headers_and_json(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "token", "create", "trade-portal")
    code, lines, _ = run(
        capsys, "webhook", "add", "trade-portal", "https://93.184.215.14/hooks", "--events", "notice.issued"
    )
    assert code == 0
    hook_id = lines[0].split()[1]

    code, lines, _ = run(capsys, "webhook", "list")
    assert code == 0
    assert columns(lines[0]) == ["ID", "OWNER", "URL", "EVENTS"]
    assert columns(lines[1]) == [hook_id, "trade-portal", "https://93.184.215.14/hooks", "notice.issued"]
    code, lines, _ = run(capsys, "webhook", "list", "--owner", "nobody", "--json")
    assert (code, json.loads("\n".join(lines))) == (0, [])

    code, lines, _ = run(capsys, "webhook", "deliveries", hook_id)
    assert (code, [columns(line) for line in lines]) == (
        0,
        [["CREATED", "EVENT", "STATUS", "ATTEMPTS", "LAST ANSWER"]],
    )
    code, lines, _ = run(capsys, "webhook", "deliveries", hook_id, "--json")
    assert (code, json.loads("\n".join(lines))) == (0, [])


def test_user_list_json_and_an_empty_table_keeps_its_header(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "user", "list") == (0, ["USERNAME  NAME  E-MAIL  GROUPS  STATE"], "")
    assert run(capsys, "user", "list", "--json") == (0, ["[]"], "")


def test_expected_refusals_are_one_line_on_stderr_with_exit_code_2(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "token", "create", "trade-portal")

    code, lines, err = run(capsys, "token", "create", "trade-portal")
    assert (code, lines) == (2, [])
    assert err == (
        "rcp token create: error: a token named 'trade-portal' exists; revoke it or pick another name\n"
    )
    code, lines, err = run(capsys, "token", "create", "x", "--scopes", "admin")
    assert (code, lines) == (2, [])
    assert "unknown scope(s): admin" in err
    assert run(capsys, "token", "revoke", "nobody") == (
        1,
        [],
        "rcp token revoke: no active token named 'nobody'\n",
    )
    code, lines, err = run(capsys, "notices", "--show", "RCP-NONE-1")
    assert (code, lines, err) == (2, [], "rcp: error: notice RCP-NONE-1 does not exist\n")


def _rcp(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "REDIS_URL")}
    env |= {"RCP_INSTANCE_DIR": str(tmp_path / "instance"), "DATABASE_URL": f"sqlite:///{tmp_path}/rcp.db"}
    return subprocess.run(
        [str(RCP), *argv], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False
    )


def test_the_installed_command_writes_only_its_output_to_stdout(tmp_path: Path) -> None:
    migrated = _rcp(tmp_path, "migrate")  # a fresh database: every migration runs
    created = _rcp(tmp_path, "token", "create", "trade-portal")
    listed = _rcp(tmp_path, "token", "list")
    twice = _rcp(tmp_path, "token", "create", "trade-portal")

    assert (migrated.returncode, migrated.stdout) == (0, "database at the latest schema\n")
    assert created.returncode == 0
    assert re.fullmatch(r"rcp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n", created.stdout)
    assert listed.returncode == 0
    assert [columns(line)[:3] for line in listed.stdout.splitlines()] == [
        ["NAME", "SCOPES", "STATE"],
        ["trade-portal", "message,read,start", "active"],
    ]
    assert not any(LOG_LINE.search(p.stdout) for p in (migrated, created, listed, twice))
    assert [p.stderr for p in (migrated, created, listed)] == ["", "", ""]  # no library chatter at all
    assert (twice.returncode, twice.stdout) == (2, "")
    assert "a token named 'trade-portal' exists" in twice.stderr
    assert "Traceback" not in twice.stderr


def test_a_folder_or_file_that_is_not_there_is_named_not_a_traceback(
    env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("deploy", "validate"):
        with pytest.raises(SystemExit) as stopped:
            main([command, "--dir", str(tmp_path / "absent")])
        assert stopped.value.code == 2
        assert (
            f"rcp {command}: error: argument --dir: no folder {tmp_path / 'absent'}"
            in capsys.readouterr().err
        )
    with pytest.raises(SystemExit):
        main(["validate", "--dir", str(tmp_path)])  # a folder, but no diagrams in it
    assert f"no diagrams (*.bpmn) in {tmp_path}" in capsys.readouterr().err

    code, lines, err = run(capsys, "api", "openapi", "--out", str(tmp_path / "absent" / "openapi.json"))
    assert (code, lines) == (2, [])
    assert err == f"rcp: error: No such file or directory: {tmp_path / 'absent' / 'openapi.json'}\n"
    assert run(capsys, "webhook", "remove", "nope") == (
        1,
        [],
        "rcp webhook: error: webhook nope does not exist\n",
    )


def test_deploy_reports_on_stdout_and_validate_puts_errors_on_stderr(
    env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "processes"
    program = Path(__file__).resolve().parents[2] / "processes"
    shutil.copytree(program / "forms", folder / "forms")
    shutil.copy(program / "appeal.bpmn", folder / "appeal.bpmn")

    assert run(capsys, "validate", "--dir", str(folder)) == (0, ["1 process(es) valid"], "")
    code, lines, _ = run(capsys, "deploy", "--dir", str(folder), "--note", "first")
    assert (code, lines) == (0, ["deployed appeal version 1 (new version)"])
    assert run(capsys, "deploy", "--dir", str(folder))[:2] == (0, ["deployed appeal version 1 (unchanged)"])

    (folder / "appeal.bpmn").write_text("<definitions>not a diagram")
    code, lines, err = run(capsys, "validate", "--dir", str(folder))
    assert (code, lines) == (2, [])
    assert err.startswith("ERROR: ")
    assert err.endswith("rcp validate: validation failed\n")
