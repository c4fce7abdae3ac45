"""Build the wheel and install it in a fresh venv outside the checkout, as an operator would.

Shared by the installed-wheel tests (the base install ``./run`` makes, and one with ``[scale]``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from service.config import ROOT

# Settings a developer's shell or CI may carry, which would point the installation elsewhere.
FOREIGN = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PORT", "SESSION_COOKIE_SECURE", "VIRTUAL_ENV")
# What a copy of the checkout leaves out: tools' folders anywhere, and the top's build output and state.
ANYWHERE = {".git", ".venv", "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
AT_THE_TOP = {"build", "dist", "instance", "artifacts"}


def run(command: list[Any], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command to completion; fail with its output unless it exits 0."""
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, check=False, **kwargs)
    assert done.returncode == 0, f"{command} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def clean_env() -> dict[str, str]:
    """Return this process's environment without the settings that would redirect an install."""
    return {
        k: v
        for k, v in os.environ.items()
        if k not in FOREIGN and not k.startswith(("RCP_", "SMTP_", "PYTHON"))
    }


def _not_source(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == ROOT
    return {n for n in names if n in ANYWHERE or (top and n in AT_THE_TOP) or n.endswith(".egg-info")}


def install(tmp_path: Path, extras: str = "") -> Path:
    """Build the wheel from a clean copy of the checkout, install it (with ``extras``) in a new venv."""
    assert (ROOT / "service" / "static" / "dist" / "viewer.js").is_file(), "build the bundles: npm run build"
    # A copy, so no build/ left over from an earlier build (with files since deleted) gets in.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=_not_source)
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, source], timeout=300)
    (wheel,) = wheels.glob("rcp_orchestrator-*.whl")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], timeout=120)
    requirement = f"{wheel}[{extras}]" if extras else str(wheel)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", requirement]
    run(pip, timeout=900, env=clean_env())
    return venv
