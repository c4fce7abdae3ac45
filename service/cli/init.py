"""``rcp init DIR``: make an instance folder with a starter configuration and editable processes."""

from __future__ import annotations

import argparse
import logging
import os
import re
import secrets
import shlex
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from service import instance
from service.errors import Conflict
from service.services import Services

log = logging.getLogger("rcp")

TEMPLATE = instance.PACKAGE / "rcp.env.template"
ENV_MODE = 0o600  # the file holds SECRET_KEY
FOLDER_MODE = 0o700  # the folder holds the database and the key
SHIPPED = {".bpmn", ".dmn", ".json"}  # what a processes folder holds (diagrams, decision tables, forms)

EPILOG = """\
examples:
  rcp init /srv/rcp                     then: RCP_INSTANCE_DIR=/srv/rcp rcp run
  rcp init                              instance/ here, where rcp run looks by default
  rcp init --force instance             add the starter files to the folder ./run made
                                        (keeping its database and its secret key)"""


@dataclass(frozen=True)
class Created:
    """What ``rcp init`` wrote, and the starter files it found already there and left alone."""

    folder: Path
    written: tuple[str, ...]  # paths inside the folder
    kept: tuple[str, ...]
    key_from_run: bool  # SECRET_KEY taken from the secret_key file an earlier rcp run generated


def register(commands: argparse._SubParsersAction) -> None:
    """Add the init command."""
    init = commands.add_parser(
        "init",
        help="create an instance folder: starter settings, program.toml and editable processes",
        description="Create an instance folder for one installation: rcp.env (every setting,"
        " documented, with a new SECRET_KEY; mode 0600), program.toml (offices, addresses and"
        " officials, to edit for the agency) and processes/ (the program's diagrams and forms, to"
        " edit and deploy). rcp run uses the folder named by RCP_INSTANCE_DIR, else instance/ in the"
        " working directory; it keeps the SQLite database there too.",
        epilog=EPILOG,
    )
    init.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=Path("instance"),
        metavar="DIR",
        help="the folder to create (default: instance/ in the working directory)",
    )
    init.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty: add the starter files it lacks and keep every"
        " file already there (database, rcp.env, program.toml, edited processes)",
    )
    init.set_defaults(handler=_init)


def create_instance(folder: Path, *, force: bool = False) -> Created:
    """Write rcp.env, program.toml and processes/ into ``folder``; refuse a non-empty one unless ``force``."""
    folder = folder.absolute()
    if folder.exists() and not folder.is_dir():
        raise Conflict(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise Conflict(f"{folder} is not empty; use --force to add the starter files it lacks")
    if not folder.exists():
        folder.mkdir(parents=True, mode=FOLDER_MODE)
    starter = Starter(folder)
    run_key = _generated_key(folder)
    starter.add(instance.ENV_FILE, lambda path: _write_env_file(path, run_key or secrets.token_urlsafe(48)))
    starter.add("program.toml", lambda path: shutil.copyfile(instance.bundled_program(), path))
    shipped = instance.bundled_processes()
    for source in sorted(shipped.rglob("*")):
        if source.is_file() and source.suffix in SHIPPED:
            name = f"processes/{source.relative_to(shipped).as_posix()}"
            starter.add(name, partial(shutil.copyfile, source))
    key_from_run = run_key is not None and instance.ENV_FILE in starter.written
    return Created(folder, tuple(starter.written), tuple(starter.kept), key_from_run)


class Starter:
    """Write each starter file the folder lacks; an existing one is the agency's and stays."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[str] = []
        self.kept: list[str] = []

    def add(self, name: str, write: Callable[[Path], object]) -> None:
        """Write ``name`` with ``write`` unless the folder has it already."""
        path = self.folder / name
        if path.exists():
            self.kept.append(name)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path)
        self.written.append(name)


def _generated_key(folder: Path) -> str | None:
    # The key an earlier `rcp run` generated here: a new one would sign everyone out and change
    # every webhook's signing secret.
    generated = folder / "secret_key"
    return (generated.read_text().strip() or None) if generated.is_file() else None


def _write_env_file(path: Path, secret: str) -> None:
    folder = path.parent
    text = (
        TEMPLATE.read_text(encoding="utf-8")
        .replace("RCP_INSTANCE_DIR=@INSTANCE_DIR@", f"RCP_INSTANCE_DIR={shlex.quote(str(folder))}")
        .replace("@INSTANCE_DIR@", str(folder))
        .replace("@SECRET_KEY@", secret)
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, ENV_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def next_steps(created: Created) -> str:
    """Return what to tell the operator after ``rcp init``."""
    folder = shlex.quote(str(created.folder))
    key = "the one rcp run generated here" if created.key_from_run else "new"
    lines = [f"Instance folder {created.folder}"]
    if instance.ENV_FILE in created.written:
        lines.append(f"  rcp.env       every setting, documented (SECRET_KEY {key}; mode 0600)")
    if "program.toml" in created.written:
        lines.append("  program.toml  offices, addresses, officials and open periods: edit for the agency")
    processes = sum(name.startswith("processes/") for name in created.written)
    if processes:
        lines.append(f"  processes/    {_files(processes)} of diagrams and forms, deployed at every start")
    if created.kept:
        lines.append(f"Kept as they were: {', '.join(_summary(created.kept))}")
    return (
        "\n".join(lines)
        + f"""

Next steps:
  1. Edit {folder}/rcp.env (database, sign-in, e-mail) and {folder}/program.toml.
  2. Create a staff user:  RCP_INSTANCE_DIR={folder} rcp user create NAME --groups supervisors
  3. Start the service:    RCP_INSTANCE_DIR={folder} rcp run
     rcp reads {folder}/rcp.env itself; variables set in the environment win.
     In a shell the file also loads with:  set -a; . {folder}/rcp.env; set +a
     In a systemd unit:                    EnvironmentFile={created.folder / instance.ENV_FILE}
  4. After editing processes/:             RCP_INSTANCE_DIR={folder} rcp validate"""
    )


def _summary(names: tuple[str, ...]) -> list[str]:
    processes = sum(name.startswith("processes/") for name in names)
    others = [name for name in names if not name.startswith("processes/")]
    return others + ([f"{_files(processes)} in processes/"] if processes else [])


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def _init(args: argparse.Namespace) -> int:
    try:
        created = create_instance(args.dir, force=args.force)
    except Conflict as exc:
        print(f"rcp: error: {exc.detail}", file=sys.stderr)
        return 2
    print(next_steps(created))
    return 0


def log_locations(services: Services) -> None:
    """Log where this run keeps its instance folder and database, and where its processes come from."""
    settings = services.settings
    log.info("instance folder: %s", settings.instance_dir)
    log.info("database: %s", re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", settings.database_url))
    log.info("processes: %s", settings.processes_dir)
    log.info("program configuration: %s", settings.program_config)
