"""``rcp init DIR``: the starter instance folder, its modes, and what it refuses to overwrite."""

from __future__ import annotations

import logging
import re
import stat
import subprocess
from pathlib import Path
from types import SimpleNamespace

from service import instance
from service.cli import main
from service.cli.init import TEMPLATE, log_locations
from service.config import ROOT, Settings


def _relative_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_init_writes_settings_program_and_processes(tmp_path, capsys):
    folder = tmp_path / "agency"
    assert main(["init", str(folder)]) == 0
    env_file = folder / "rcp.env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    values = instance.read_env_file(env_file)
    assert len(values["SECRET_KEY"]) >= 64
    assert values["RCP_INSTANCE_DIR"] == str(folder)
    assert values["RCP_DEMO_USERS"] == "0"  # no known password in an agency's installation
    assert (folder / "program.toml").read_bytes() == instance.bundled_program().read_bytes()
    shipped = instance.bundled_processes()
    assert _relative_files(folder / "processes") == _relative_files(shipped)
    assert "forms/application_review.schema.json" in _relative_files(folder / "processes")
    out = capsys.readouterr().out
    assert f"RCP_INSTANCE_DIR={folder} rcp run" in out
    assert f"set -a; . {folder}/rcp.env; set +a" in out
    assert f"EnvironmentFile={folder}/rcp.env" in out


def test_each_folder_gets_its_own_secret_key(tmp_path):
    assert main(["init", str(tmp_path / "a")]) == 0
    assert main(["init", str(tmp_path / "b")]) == 0
    keys = {instance.read_env_file(tmp_path / n / "rcp.env")["SECRET_KEY"] for n in "ab"}
    assert len(keys) == 2


def test_settings_read_what_init_wrote(tmp_path):
    folder = tmp_path / "agency"
    main(["init", str(folder)])
    settings = Settings.from_env({"RCP_INSTANCE_DIR": str(folder)})
    assert settings.secret_key == instance.read_env_file(folder / "rcp.env")["SECRET_KEY"]
    assert settings.processes_dir == folder / "processes"
    assert settings.program_config == folder / "program.toml"
    assert settings.database_url == f"sqlite:///{folder}/rcp.db"
    assert settings.demo_users is False
    assert Settings.from_env({"RCP_INSTANCE_DIR": str(folder), "RCP_DEMO_USERS": "1"}).demo_users


def test_without_a_folder_init_makes_instance_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert (tmp_path / "instance" / "rcp.env").is_file()
    assert Settings.from_env({}).processes_dir == tmp_path / "instance" / "processes"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    folder = tmp_path / "agency"
    folder.mkdir()
    (folder / "rcp.db").write_bytes(b"cases")
    assert main(["init", str(folder)]) == 2
    assert "is not empty; use --force to add the starter files" in capsys.readouterr().err
    assert _relative_files(folder) == ["rcp.db"]


def test_init_refuses_a_file(tmp_path, capsys):
    path = tmp_path / "agency"
    path.write_text("x")
    assert main(["init", str(path)]) == 2
    assert "is a file" in capsys.readouterr().err


def test_force_adds_what_is_missing_and_keeps_every_file_already_there(tmp_path, capsys):
    folder = tmp_path / "agency"
    main(["init", str(folder)])
    settings_text = (folder / "rcp.env").read_text() + "SMTP_HOST=mail.agency.example\n"
    (folder / "rcp.env").write_text(settings_text)
    (folder / "program.toml").write_text("edited")
    (folder / "processes" / "appeal.bpmn").write_text("<edited/>")
    (folder / "processes" / "forms" / "report_copy.schema.json").unlink()
    (folder / "rcp.db").write_bytes(b"cases")
    capsys.readouterr()
    assert main(["init", "--force", str(folder)]) == 0
    assert (folder / "rcp.env").read_text() == settings_text
    assert (folder / "program.toml").read_text() == "edited"
    assert (folder / "processes" / "appeal.bpmn").read_text() == "<edited/>"
    shipped = instance.bundled_processes() / "forms" / "report_copy.schema.json"
    assert (folder / "processes" / "forms" / "report_copy.schema.json").read_bytes() == shipped.read_bytes()
    assert (folder / "rcp.db").read_bytes() == b"cases"
    out = capsys.readouterr().out
    assert "processes/    1 file of diagrams and forms" in out
    count = len(_relative_files(instance.bundled_processes())) - 1
    assert f"Kept as they were: rcp.env, program.toml, {count} files in processes/" in out


def test_force_on_the_folder_run_made_keeps_its_generated_key(tmp_path, capsys):
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "secret_key").write_text("the-embedded-key")
    assert main(["init", "--force", str(folder)]) == 0
    assert Settings.from_env({"RCP_INSTANCE_DIR": str(folder)}).secret_key == "the-embedded-key"
    assert "SECRET_KEY the one rcp run generated here" in capsys.readouterr().out


def test_the_env_file_loads_in_a_shell_even_from_a_folder_with_spaces(tmp_path):
    folder = tmp_path / "agency folder"
    main(["init", str(folder)])
    shown = subprocess.run(
        [
            "bash",
            "-c",
            'set -a; . "$1"; set +a; printf "%s\\n%s\\n" "$RCP_INSTANCE_DIR" "$SECRET_KEY"',
            "-",
            str(folder / "rcp.env"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stderr == ""
    key = instance.read_env_file(folder / "rcp.env")["SECRET_KEY"]
    assert shown.stdout.splitlines() == [str(folder), key]


def test_the_starter_file_names_every_setting_the_service_reads():
    pattern = re.compile(r"""env(?:iron)?(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")
    read = {name for path in (ROOT / "service").rglob("*.py") for name in pattern.findall(path.read_text())}
    assert {"DATABASE_URL", "SECRET_KEY", "RCP_INSTANCE_DIR"} <= read
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", TEMPLATE.read_text(), re.MULTILINE))
    assert sorted(read - named) == []


def test_run_can_log_where_its_instance_database_and_processes_are(tmp_path, caplog):
    folder = tmp_path / "agency"
    main(["init", str(folder)])
    settings = Settings.from_env(
        {"RCP_INSTANCE_DIR": str(folder), "DATABASE_URL": "postgresql://rcp:s3cret@db.example:5432/rcp"}
    )
    with caplog.at_level(logging.INFO, logger="rcp"):
        log_locations(SimpleNamespace(settings=settings))
    assert caplog.messages == [
        f"instance folder: {folder}",
        "database: postgresql://rcp:***@db.example:5432/rcp",
        f"processes: {folder / 'processes'}",
        f"program configuration: {folder / 'program.toml'}",
    ]
