"""Every file the service reads at run time is listed for the wheel (the installed-wheel test runs it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from service.config import ROOT

PACKAGE_DATA = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]


def _data_files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    }


def _listed(folder: Path, patterns: list[str]) -> set[str]:
    return {
        p.relative_to(folder).as_posix() for pattern in patterns for p in folder.glob(pattern) if p.is_file()
    }


def test_every_file_beside_the_code_of_service_is_package_data():
    folder = ROOT / "service"
    present = _data_files(folder)
    assert {"program.toml", "rcp.env.template", "web/templates/web/base.html"} <= present
    assert sorted(present - _listed(folder, PACKAGE_DATA["service"])) == []


def test_every_file_of_the_processes_folder_ships_as_rcp_processes():
    folder = ROOT / "processes"
    present = _data_files(folder)
    assert {"application_review.bpmn", "application_review.start.schema.json"} <= present
    assert sorted(present - _listed(folder, PACKAGE_DATA["rcp_processes"])) == []
