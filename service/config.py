"""Settings from the environment, with the defaults of the embedded run."""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Everything configurable. See the README's Configuration table."""

    database_url: str
    secret_key: str
    redis_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "rcp-notices@localhost"
    port: int = 8000
    processes_dir: Path = ROOT / "processes"
    instance_dir: Path = ROOT / "instance"
    runner: str = "embedded"  # embedded | celery | off
    program: dict[str, Any] = field(default_factory=dict)
    testing: bool = False
    session_cookie_secure: bool = False
    demo_users: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from environment variables (defaults: SQLite file, embedded runner)."""
        env = os.environ if env is None else env
        instance_dir = Path(env.get("RCP_INSTANCE_DIR", str(ROOT / "instance")))
        settings = cls(
            database_url=env.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'rcp.db'}",
            secret_key=env.get("SECRET_KEY") or _local_secret(instance_dir),
            redis_url=env.get("REDIS_URL") or None,
            smtp_host=env.get("SMTP_HOST") or None,
            smtp_port=int(env.get("SMTP_PORT", "25")),
            smtp_sender=env.get("SMTP_SENDER", "rcp-notices@localhost"),
            port=int(env.get("PORT", "8000")),
            processes_dir=Path(env.get("RCP_PROCESSES_DIR", str(ROOT / "processes"))),
            instance_dir=instance_dir,
            runner=env.get("RCP_RUNNER", "celery" if env.get("REDIS_URL") else "embedded"),
            program=load_program(Path(env["RCP_PROGRAM_CONFIG"]) if env.get("RCP_PROGRAM_CONFIG") else None),
            session_cookie_secure=env.get("SESSION_COOKIE_SECURE", "0") == "1",
            demo_users=env.get("RCP_DEMO_USERS", "1") != "0",
        )
        return replace(settings, **overrides)


def load_program(path: Path | None) -> dict[str, Any]:
    """Load office names, addresses and officials (never literals in code or diagrams)."""
    default = Path(__file__).with_name("program.toml")
    with (path or default).open("rb") as fh:
        return tomllib.load(fh)


def _local_secret(instance_dir: Path) -> str:
    # The embedded run keeps a generated key in the instance folder so sessions survive restarts;
    # deployments set SECRET_KEY in the environment.
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
