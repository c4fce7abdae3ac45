"""Settings from the environment, with the defaults of the embedded run."""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from service import instance

ROOT = Path(__file__).resolve().parent.parent  # the checkout (site-packages when installed)


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
    processes_dir: Path = field(default_factory=instance.bundled_processes)
    instance_dir: Path = field(default_factory=lambda: Path("instance").absolute())
    program_config: Path = field(default_factory=instance.bundled_program)  # where ``program`` came from
    runner: str = "embedded"  # embedded | celery | off
    celery_queue: str = "rcp"  # the Redis list scale-out sweeps are queued on
    redis_prefix: str = ""  # prefix for every Redis key (several deployments on one Redis)
    program: dict[str, Any] = field(default_factory=dict)
    testing: bool = False
    session_cookie_secure: bool = False
    demo_users: bool = True
    script_time_limit: float = 2.0  # seconds a diagram script or expression may run
    max_case_data: int | None = None  # characters of a case's data as JSON; None: the engine's 1 MB
    api: ApiSettings = field(default_factory=lambda: ApiSettings())
    oidc: OidcSettings = field(default_factory=lambda: OidcSettings())
    observe: ObserveSettings = field(default_factory=lambda: ObserveSettings())
    documents: DocumentSettings = field(default_factory=lambda: DocumentSettings())

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from the environment and the instance's rcp.env (the environment wins)."""
        given = os.environ if env is None else env
        instance_dir = instance.instance_dir(given)
        env = instance.with_env_file(given, instance_dir)
        program_config = instance.program_file(env, instance_dir)
        settings = cls(
            database_url=env.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'rcp.db'}",
            secret_key=env.get("SECRET_KEY") or _local_secret(instance_dir),
            redis_url=env.get("REDIS_URL") or None,
            smtp_host=env.get("SMTP_HOST") or None,
            smtp_port=int(env.get("SMTP_PORT", "25")),
            smtp_sender=env.get("SMTP_SENDER", "rcp-notices@localhost"),
            port=int(env.get("PORT", "8000")),
            processes_dir=instance.processes_dir(env, instance_dir),
            instance_dir=instance_dir,
            runner=env.get("RCP_RUNNER", "celery" if env.get("REDIS_URL") else "embedded"),
            celery_queue=env.get("RCP_CELERY_QUEUE", "rcp"),
            redis_prefix=env.get("RCP_REDIS_PREFIX", ""),
            program=load_program(program_config),
            program_config=program_config,
            session_cookie_secure=env.get("SESSION_COOKIE_SECURE", "0") == "1",
            demo_users=env.get("RCP_DEMO_USERS", "1") != "0",
            script_time_limit=float(env.get("RCP_SCRIPT_TIME_LIMIT", "2")),
            max_case_data=int(env["RCP_MAX_CASE_DATA"]) if env.get("RCP_MAX_CASE_DATA") else None,
            api=ApiSettings.from_env(env),
            oidc=OidcSettings.from_env(env),
            observe=ObserveSettings.from_env(env),
            documents=DocumentSettings.from_env(env),
        )
        return replace(settings, **overrides)


@dataclass(frozen=True)
class ApiSettings:
    """The integrator API's limits and retention times (README: Integrating)."""

    rate_limit: int = 600  # requests per token per ``rate_period``; 0 turns the limit off
    rate_period: timedelta = timedelta(minutes=1)
    rate_backend: str = "auto"  # auto | memory | database | redis
    idempotency_ttl: timedelta = timedelta(hours=24)
    message_buffer_ttl: timedelta = timedelta(hours=1)
    webhook_timeout: float = 10.0
    # Hosts or networks (CIDR) webhooks may reach over http or at non-public addresses.
    webhook_allow_hosts: tuple[str, ...] = ()
    validate_responses: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ApiSettings:
        """Read ``RCP_API_*`` variables; durations are whole seconds."""
        return cls(
            rate_limit=int(env.get("RCP_API_RATE_LIMIT", "600")),
            rate_period=timedelta(seconds=int(env.get("RCP_API_RATE_PERIOD", "60"))),
            rate_backend=env.get("RCP_API_RATE_BACKEND", "auto"),
            idempotency_ttl=timedelta(seconds=int(env.get("RCP_API_IDEMPOTENCY_TTL", "86400"))),
            message_buffer_ttl=timedelta(seconds=int(env.get("RCP_API_MESSAGE_BUFFER_TTL", "3600"))),
            webhook_timeout=float(env.get("RCP_WEBHOOK_TIMEOUT", "10")),
            webhook_allow_hosts=tuple(
                h.strip() for h in env.get("RCP_WEBHOOK_ALLOW_HOSTS", "").split(",") if h.strip()
            ),
            validate_responses=env.get("RCP_API_VALIDATE_RESPONSES", "0") == "1",
        )


@dataclass(frozen=True)
class DocumentSettings:
    """Case documents: where their bytes live, how large they may be, how long they are kept."""

    store: str = "local"  # local (the instance folder's documents/) | s3
    max_bytes: int = 25 * 1024 * 1024  # one document; larger uploads are refused (413)
    retention_years: int = 5  # kept this long after the case closes (rcp documents expire)
    s3_bucket: str = ""
    s3_endpoint_url: str | None = None  # a non-AWS server (MinIO, Ceph ...); None: AWS itself
    s3_region: str | None = None
    s3_prefix: str = "documents/"
    sweep_grace: timedelta = timedelta(hours=1)  # a blob without its row is removed after this

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DocumentSettings:
        """Read ``RCP_DOCUMENT*`` and ``RCP_S3_*`` variables."""
        return cls(
            store=env.get("RCP_DOCUMENTS_STORE", "local").lower(),
            max_bytes=int(env.get("RCP_DOCUMENT_MAX_BYTES", str(25 * 1024 * 1024))),
            retention_years=int(env.get("RCP_DOCUMENT_RETENTION_YEARS", "5")),
            s3_bucket=env.get("RCP_S3_BUCKET", ""),
            s3_endpoint_url=env.get("RCP_S3_ENDPOINT_URL") or None,
            s3_region=env.get("RCP_S3_REGION") or None,
            s3_prefix=env.get("RCP_S3_PREFIX", "documents/"),
            sweep_grace=timedelta(seconds=int(env.get("RCP_DOCUMENT_SWEEP_GRACE", "3600"))),
        )


@dataclass(frozen=True)
class ObserveSettings:
    """Logs, metrics and their protection (README: Observing)."""

    log_level: str = "INFO"
    log_format: str = "text"  # text | json
    metrics_token: str | None = None  # a bearer token that may read /metrics from anywhere
    metrics_allow: tuple[str, ...] = ("127.0.0.1/32", "::1/128")  # networks that need no token

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ObserveSettings:
        """Read ``RCP_LOG_*`` and ``RCP_METRICS_*`` variables."""
        allow = env.get("RCP_METRICS_ALLOW", "127.0.0.1/32,::1/128")
        return cls(
            log_level=env.get("RCP_LOG_LEVEL", "INFO").upper(),
            log_format=env.get("RCP_LOG_FORMAT", "text").lower(),
            metrics_token=env.get("RCP_METRICS_TOKEN") or None,
            metrics_allow=tuple(n.strip() for n in allow.split(",") if n.strip()),
        )


@dataclass(frozen=True)
class OidcSettings:
    """Sign-in through the agency's OpenID Connect provider (README: Sign-in)."""

    issuer: str | None = None  # OIDC is on when this is set
    discovery_url: str | None = None  # default: <issuer>/.well-known/openid-configuration
    client_id: str = ""
    client_secret: str = field(default="", repr=False)  # empty: a public client (PKCE alone)
    scopes: str = "openid profile email"
    groups_claim: str = "groups"
    username_claim: str = "preferred_username"  # falls back to ``sub``
    # The provider's group -> the program's group; a provider group may appear more than once.
    group_map: tuple[tuple[str, str], ...] = ()
    label: str = "your agency account"
    local_passwords: bool = True  # the sign-in form for users made with `rcp user create`
    timeout: float = 10.0  # seconds for each call to the provider

    @property
    def enabled(self) -> bool:
        return bool(self.issuer)

    @property
    def metadata_url(self) -> str:
        return self.discovery_url or f"{(self.issuer or '').rstrip('/')}/.well-known/openid-configuration"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OidcSettings:
        """Read ``RCP_OIDC_*`` and ``RCP_LOCAL_PASSWORDS``; refuse a setup nobody could sign in with."""
        settings = cls(
            issuer=env.get("RCP_OIDC_ISSUER") or None,
            discovery_url=env.get("RCP_OIDC_DISCOVERY_URL") or None,
            client_id=env.get("RCP_OIDC_CLIENT_ID", ""),
            client_secret=env.get("RCP_OIDC_CLIENT_SECRET", ""),
            scopes=env.get("RCP_OIDC_SCOPES") or "openid profile email",
            groups_claim=env.get("RCP_OIDC_GROUPS_CLAIM") or "groups",
            username_claim=env.get("RCP_OIDC_USERNAME_CLAIM") or "preferred_username",
            group_map=parse_group_map(env.get("RCP_OIDC_GROUP_MAP", "")),
            label=env.get("RCP_OIDC_LABEL") or "your agency account",
            local_passwords=env.get("RCP_LOCAL_PASSWORDS", "1") != "0",
            timeout=float(env.get("RCP_OIDC_TIMEOUT", "10")),
        )
        if settings.enabled and not settings.client_id:
            raise ValueError("RCP_OIDC_ISSUER is set but RCP_OIDC_CLIENT_ID is not")
        if not settings.enabled and not settings.local_passwords:
            raise ValueError("RCP_LOCAL_PASSWORDS=0 needs RCP_OIDC_ISSUER: nobody could sign in")
        return settings


def parse_group_map(text: str) -> tuple[tuple[str, str], ...]:
    """Parse ``provider-group=program_group`` pairs separated by ``;``, new lines or ``,``."""
    # Directory names (cn=x,ou=y) hold commas: when any ';' or new line is present, commas stay.
    separator = "\n" if "\n" in text or ";" in text else ","
    entries = [e.strip() for e in text.replace(";", "\n").split(separator) if e.strip()]
    pairs = []
    for entry in entries:
        provider_group, equals, program_group = entry.rpartition("=")
        if not equals or not provider_group.strip() or not program_group.strip():
            raise ValueError(f"RCP_OIDC_GROUP_MAP: '{entry}' is not provider-group=program_group")
        pairs.append((provider_group.strip(), program_group.strip()))
    return tuple(pairs)


def load_program(path: Path | None) -> dict[str, Any]:
    """Load office names, addresses and officials (never literals in code or diagrams)."""
    with (path or instance.bundled_program()).open("rb") as fh:
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
