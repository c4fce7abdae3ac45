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
from dataclasses import dataclass
from pathlib import Path

from service import instance
from service.errors import Conflict
from service.services import Services

log = logging.getLogger("rcp")

TEMPLATE = instance.PACKAGE / "rcp.env.template"
ENV_MODE = 0o600  # the file holds SECRET_KEY
FOLDER_MODE = 0o700  # the folder holds the database and the key

EPILOG = """\
examples:
  rcp init /srv/rcp                     then: RCP_INSTANCE_DIR=/srv/rcp rcp run
  rcp init                              instance/ here, where rcp run looks by default
  rcp init --force instance             add the starter files to the folder ./run made
                                        (keeping its database and its secret key)"""


@dataclass(frozen=True)
class Created:
    """What ``rcp init`` wrote."""

    folder: Path
    env_file: Path
    program: Path
    processes: Path
    kept_secret: bool  # SECRET_KEY taken from the folder's existing rcp.env or secret_key


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
        help="write into a folder that is not empty, overwriting rcp.env, program.toml and the"
        " bundled processes' files; the database and an existing SECRET_KEY are kept",
    )
    init.set_defaults(handler=_init)


def create_instance(folder: Path, *, force: bool = False) -> Created:
    """Write rcp.env, program.toml and processes/ into ``folder``; refuse a non-empty one unless ``force``."""
    folder = folder.absolute()
    if folder.exists() and not folder.is_dir():
        raise Conflict(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise Conflict(f"{folder} is not empty; use --force to write the starter files into it")
    if not folder.exists():
        folder.mkdir(parents=True, mode=FOLDER_MODE)
    secret = _existing_secret(folder)
    env_file = _write_env_file(folder, secret or secrets.token_urlsafe(48))
    program = folder / "program.toml"
    shutil.copyfile(instance.bundled_program(), program)
    processes = folder / "processes"
    shutil.copytree(
        instance.bundled_processes(),
        processes,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.pyc"),
    )
    return Created(folder, env_file, program, processes, kept_secret=secret is not None)


def _existing_secret(folder: Path) -> str | None:
    # Re-running init must not change the key: it would sign everyone out and change webhook secrets.
    env_file = folder / instance.ENV_FILE
    if env_file.is_file():
        key = instance.read_env_file(env_file).get("SECRET_KEY")
        if key:
            return key
    generated = folder / "secret_key"  # what the embedded run made before the folder had rcp.env
    if generated.is_file():
        return generated.read_text().strip() or None
    return None


def _write_env_file(folder: Path, secret: str) -> Path:
    text = (
        TEMPLATE.read_text(encoding="utf-8")
        .replace("RCP_INSTANCE_DIR=@INSTANCE_DIR@", f"RCP_INSTANCE_DIR={shlex.quote(str(folder))}")
        .replace("@INSTANCE_DIR@", str(folder))
        .replace("@SECRET_KEY@", secret)
    )
    path = folder / instance.ENV_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, ENV_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        os.fchmod(fh.fileno(), ENV_MODE)  # an existing file keeps its old mode through O_CREAT
        fh.write(text)
    return path


def next_steps(created: Created) -> str:
    """Return what to tell the operator after ``rcp init``."""
    folder = shlex.quote(str(created.folder))
    key = "kept from the folder" if created.kept_secret else "new"
    return f"""\
Created the instance folder {created.folder}
  rcp.env       every setting, documented (SECRET_KEY {key}; mode 0600)
  program.toml  offices, addresses, officials and open periods: edit for the agency
  processes/    the program's diagrams and forms, deployed at every start

Next steps:
  1. Edit {folder}/rcp.env (database, sign-in, e-mail) and {folder}/program.toml.
  2. Create a staff user:  RCP_INSTANCE_DIR={folder} rcp user create NAME --groups supervisors
  3. Start the service:    RCP_INSTANCE_DIR={folder} rcp run
     rcp reads {folder}/rcp.env itself; variables set in the environment win.
     In a shell the file also loads with:  set -a; . {folder}/rcp.env; set +a
     In a systemd unit:                    EnvironmentFile={created.env_file}
  4. After editing processes/:             RCP_INSTANCE_DIR={folder} rcp validate"""


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
