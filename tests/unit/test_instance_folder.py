"""Where an installation keeps its things: the instance folder, its rcp.env, processes and program."""

from __future__ import annotations

from pathlib import Path

import pytest

from service import instance
from service.config import ROOT, Settings

BUNDLED_PROGRAM = ROOT / "service" / "program.toml"


def test_the_instance_folder_is_instance_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    assert settings.instance_dir == tmp_path / "instance"
    assert settings.database_url == f"sqlite:///{tmp_path}/instance/rcp.db"
    assert (tmp_path / "instance" / "secret_key").read_text() == settings.secret_key
    assert settings.processes_dir == ROOT / "processes"  # a checkout deploys its own processes/
    assert settings.program_config == BUNDLED_PROGRAM


def test_rcp_instance_dir_names_the_folder_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env({"RCP_INSTANCE_DIR": "site/a"}).instance_dir == tmp_path / "site" / "a"
    elsewhere = tmp_path / "elsewhere"
    settings = Settings.from_env({"RCP_INSTANCE_DIR": str(elsewhere)})
    assert settings.instance_dir == elsewhere
    assert settings.database_url == f"sqlite:///{elsewhere}/rcp.db"
    assert not (tmp_path / "instance").exists()


def test_the_dataclass_defaults_follow_the_working_directory_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings(database_url="sqlite://", secret_key="k")
    assert settings.instance_dir == tmp_path / "instance"
    assert settings.processes_dir == instance.bundled_processes()


def test_processes_come_from_the_variable_then_the_instance_folder_then_the_package(tmp_path):
    folder = tmp_path / "inst"
    base = {"RCP_INSTANCE_DIR": str(folder), "SECRET_KEY": "k"}
    assert Settings.from_env(base).processes_dir == instance.bundled_processes()
    (folder / "processes").mkdir(parents=True)
    assert Settings.from_env(base).processes_dir == folder / "processes"
    chosen = tmp_path / "analysts"
    assert Settings.from_env({**base, "RCP_PROCESSES_DIR": str(chosen)}).processes_dir == chosen


def test_the_program_comes_from_the_variable_then_the_instance_folder_then_the_package(tmp_path):
    folder = tmp_path / "inst"
    folder.mkdir()
    base = {"RCP_INSTANCE_DIR": str(folder), "SECRET_KEY": "k"}
    shipped = Settings.from_env(base)
    assert shipped.program_config == BUNDLED_PROGRAM
    assert shipped.program["agency"]
    (folder / "program.toml").write_text('[agency]\nname = "Port of Example"\n')
    own = Settings.from_env(base)
    assert (own.program_config, own.program["agency"]["name"]) == (folder / "program.toml", "Port of Example")
    chosen = tmp_path / "other.toml"
    chosen.write_text('[agency]\nname = "Chosen"\n')
    picked = Settings.from_env({**base, "RCP_PROGRAM_CONFIG": str(chosen)})
    assert (picked.program_config, picked.program["agency"]["name"]) == (chosen, "Chosen")


def test_the_instance_env_file_is_read_and_the_environment_wins(tmp_path):
    folder = tmp_path / "inst"
    folder.mkdir()
    (folder / "rcp.env").write_text(
        "# a comment\n\nSECRET_KEY=from-file\nexport SMTP_HOST=mail.example\n"
        "SMTP_SENDER=\"RCP notices <rcp@example.gov>\"\nRCP_DEMO_USERS='0'\nPORT=9001\n"
    )
    settings = Settings.from_env({"RCP_INSTANCE_DIR": str(folder), "PORT": "9002"})
    assert settings.secret_key == "from-file"
    assert settings.smtp_host == "mail.example"
    assert settings.smtp_sender == "RCP notices <rcp@example.gov>"
    assert settings.demo_users is False
    assert settings.port == 9002
    assert not (folder / "secret_key").exists()  # the file's key is used; none is generated


def test_an_env_file_line_that_is_no_setting_is_refused_with_its_place(tmp_path):
    folder = tmp_path / "inst"
    folder.mkdir()
    (folder / "rcp.env").write_text("SECRET_KEY=k\nthis is not a setting\n")
    with pytest.raises(ValueError, match=r"rcp\.env:2: expected NAME=value"):
        Settings.from_env({"RCP_INSTANCE_DIR": str(folder)})


def test_a_checkout_bundles_its_own_processes_folder():
    folder = instance.bundled_processes()
    assert folder == ROOT / "processes"
    assert (folder / "application_review.bpmn").is_file()
    assert instance.bundled_program() == BUNDLED_PROGRAM


def test_nothing_is_written_next_to_the_code(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in Path(instance.PACKAGE).iterdir())
    Settings.from_env({})
    assert sorted(p.name for p in Path(instance.PACKAGE).iterdir()) == before
