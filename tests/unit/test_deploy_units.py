"""The systemd units in deploy/systemd start real rcp commands with options rcp accepts."""

from __future__ import annotations

import configparser
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from service.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
RCP = Path(sys.executable).with_name("rcp")
INSTALLED = "/opt/rcp/bin/rcp"  # where the README installs the command


def exec_start(unit: Path) -> list[str]:
    """Return the rcp arguments a unit's ExecStart runs (inside ``sh -c`` too), after systemd's %%."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(unit)
    words = shlex.split(parser["Service"]["ExecStart"].replace("%%", "%"))
    if words[:2] == ["/bin/sh", "-c"]:
        words = shlex.split(words[2])
        words = words[1:] if words[0] == "exec" else words
    assert words[0] == INSTALLED, f"{unit.name} runs {words[0]}, not the installed rcp"
    return words[1:]


def test_the_guide_ships_units_for_web_worker_and_scheduler() -> None:
    commands = {unit.name: exec_start(unit)[0] for unit in UNITS}
    assert commands == {
        "rcp.service": "run",
        "rcp-web.service": "run",
        "rcp-worker.service": "worker",
        "rcp-scheduler.service": "scheduler",
        "rcp-backup.service": "backup",
    }
    assert "--no-runner" in exec_start(ROOT / "deploy/systemd/rcp-web.service")


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_each_units_command_parses_and_its_help_runs(unit: Path) -> None:
    argv = exec_start(unit)

    args = build_parser().parse_args(argv)  # an unknown option or a bad value exits with 2
    helped = subprocess.run(
        [str(RCP), *argv, "--help"], capture_output=True, text=True, timeout=60, check=False
    )

    assert callable(args.handler)
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith(f"usage: rcp {argv[0]}")


def test_every_unit_reads_the_instance_settings_and_runs_unprivileged() -> None:
    for unit in UNITS:
        text = unit.read_text()
        assert "EnvironmentFile=/srv/rcp/rcp.env" in text, unit.name
        assert "User=rcp" in text, unit.name
        assert "NoNewPrivileges=yes" in text, unit.name


def test_the_readme_shows_the_web_unit_as_shipped() -> None:
    readme = (ROOT / "README.md").read_text()
    shown = readme.split("```ini\n", 1)[1].split("```", 1)[0]
    shipped = (ROOT / "deploy/systemd/rcp-web.service").read_text()

    def lines(text: str) -> list[str]:
        return [line for line in text.splitlines() if line and not line.startswith("#")]

    assert lines(shown) == lines(shipped)
