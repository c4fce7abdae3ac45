"""The instance folder: where an installation keeps its database, secret, settings and processes.

It is ``RCP_INSTANCE_DIR``, else ``instance/`` in the working directory; never inside the installed
package. ``rcp init`` fills one with ``rcp.env``, ``program.toml`` and ``processes/``.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ENV_FILE = "rcp.env"
PROCESSES_PACKAGE = "rcp_processes"  # processes/ ships in the wheel under this name (setup.py)
_LINE = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def instance_dir(env: Mapping[str, str]) -> Path:
    """Return the instance folder: ``RCP_INSTANCE_DIR``, else ``instance/`` in the working directory."""
    return Path(env.get("RCP_INSTANCE_DIR") or "instance").absolute()


def with_env_file(env: Mapping[str, str], folder: Path) -> dict[str, str]:
    """Return the folder's ``rcp.env`` settings overlaid by ``env`` (the environment wins)."""
    path = folder / ENV_FILE
    return {**read_env_file(path), **env} if path.is_file() else dict(env)


def read_env_file(path: Path) -> dict[str, str]:
    """Read ``NAME=value`` lines, as a shell's ``set -a; . FILE`` or systemd's EnvironmentFile= would."""
    values: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(f"{path}:{number}: expected NAME=value, found {line[:60]!r}")
        name, value = match.group(1), match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def processes_dir(env: Mapping[str, str], folder: Path) -> Path:
    """Return ``RCP_PROCESSES_DIR``, else the instance's ``processes/`` if present, else the shipped ones."""
    if env.get("RCP_PROCESSES_DIR"):
        return Path(env["RCP_PROCESSES_DIR"]).absolute()
    own = folder / "processes"
    return own if own.is_dir() else bundled_processes()


def program_file(env: Mapping[str, str], folder: Path) -> Path:
    """Return ``RCP_PROGRAM_CONFIG``, else the instance's ``program.toml`` if present, else the package's."""
    if env.get("RCP_PROGRAM_CONFIG"):
        return Path(env["RCP_PROGRAM_CONFIG"]).absolute()
    own = folder / "program.toml"
    return own if own.is_file() else bundled_program()


def bundled_program() -> Path:
    """Return the program configuration shipped with the package."""
    return PACKAGE / "program.toml"


def bundled_processes() -> Path:
    """Return the processes shipped with the package (in a checkout, its ``processes/``)."""
    # An installed wheel has them as the data package rcp_processes; an editable install maps that
    # name onto the checkout's processes/, and a checkout that was never installed has only the folder.
    spec = importlib.util.find_spec(PROCESSES_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    folders = [Path(p) for p in locations if Path(p).is_dir()]
    return folders[0] if folders else PACKAGE.parent / "processes"
