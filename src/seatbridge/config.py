"""One typed settings object, built by each entry point and passed down (never a global)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "changethis", "change-me", "demo-secret-key"})
DEFAULT_DATA_DIR = Path("var")


class SmtpSettings(BaseModel):
    """The SMTP relay; without a host, e-mails go to the mailbox folder (demo, embedded)."""

    host: str = ""
    port: int = 587
    # "starttls" upgrades a plain connection (port 587), "tls" is implicit TLS (port 465).
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str = ""
    password: SecretStr = SecretStr("")
    sender: str = "SSM <no-reply@localhost>"
    timeout_seconds: float = 30.0
    # A private CA for the relay's certificate (the system's CAs are trusted otherwise).
    ca_file: Path | None = None
    # Messages per second at most, for relays that limit senders (0: as fast as it accepts).
    max_per_second: float = Field(default=0.0, ge=0.0)

    @property
    def enabled(self) -> bool:
        return bool(self.host)


class AuthSettings(BaseModel):
    """Links, sessions, throttling and password hashing (see docs/invitations.md)."""

    invitation_ttl_days: int = Field(default=7, ge=1)
    reset_ttl_hours: int = Field(default=24, ge=1)
    session_max_hours: int = Field(default=12, ge=1)
    session_idle_minutes: int = Field(default=120, ge=5)
    # Sign-in attempts are counted before the password is checked (docs/security.md): this many
    # are free per e-mail from one address, per e-mail from anywhere and per address; past that
    # each further attempt waits throttle_base_seconds * 2^n, capped at throttle_max_seconds.
    # A key's count is forgotten throttle_memory_hours after its last attempt, or on success.
    max_failures_per_email: int = Field(default=5, ge=1)
    max_failures_per_account: int = Field(default=50, ge=1)
    max_failures_per_address: int = Field(default=20, ge=1)
    throttle_base_seconds: float = Field(default=1.0, gt=0)
    throttle_max_seconds: int = Field(default=900, ge=1)
    throttle_memory_hours: int = Field(default=24, ge=1)
    # argon2 checks at once (each takes hash_memory_kib): default the number of CPUs; beyond
    # hash_queue more waiting (default 4 per slot), a sign-in is refused at once with a 503.
    hash_concurrency: int | None = Field(default=None, ge=1)
    hash_queue: int | None = Field(default=None, ge=0)
    # argon2id cost (RFC 9106 low-memory profile); tests lower these, production never should.
    hash_time_cost: int = Field(default=3, ge=1)
    hash_memory_kib: int = Field(default=65536, ge=8)
    hash_parallelism: int = Field(default=4, ge=1)


class JobSettings(BaseModel):
    """Scheduled syncs and background work (see docs/jobs.md)."""

    # How often the scheduler looks for due environments and mail to send.
    tick_seconds: float = Field(default=1.0, gt=0)
    # A sync holds its environment's lease and renews it (its heartbeat) every heartbeat_seconds
    # (at most a third of lease_seconds) while any step runs, Sage 100 reads included. A holder
    # that has not beaten for lease_seconds (killed, frozen machine) is taken over.
    lease_seconds: int = Field(default=30, ge=2)
    heartbeat_seconds: float = Field(default=5.0, gt=0)
    # Reads of a Sage 100 database: how long to wait to connect, and for one statement (SQLite:
    # for another connection's lock). A hung database then fails the run with a clear message.
    source_connect_timeout_seconds: float = Field(default=15.0, gt=0)
    source_statement_timeout_seconds: float = Field(default=300.0, gt=0)
    # After a failure the next attempt waits base * 2^(failures-1), capped.
    retry_base_seconds: int = Field(default=60, ge=1)
    retry_max_seconds: int = Field(default=3600, ge=1)


class Settings(BaseSettings):
    """Everything that differs between a laptop demo and production, read from SEATBRIDGE_*."""

    model_config = SettingsConfigDict(
        env_prefix="SEATBRIDGE_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = ""
    demo: bool = False
    secret_key: SecretStr = SecretStr("demo-secret-key")
    base_url: str = "http://127.0.0.1:8000"
    # Peers whose X-Forwarded-Proto/-Host/-Prefix are believed when base_url is not set
    # (comma-separated addresses, "*" for any): the reverse proxy in front of the server.
    forwarded_allow_ips: str = "127.0.0.1,::1"
    # Trusted vendor public keys, as "key-id:base64" items; the demo adds its own generated key.
    license_public_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    license_public_keys_file: Path | None = None
    # Secure cookies need https; the embedded demo serves http://127.0.0.1.
    cookie_secure: bool = False
    timezone: str = "Europe/Paris"
    # The product's name as people read it in pages and e-mails (SEATBRIDGE_PRODUCT_NAME).
    product_name: str = Field(default="SSM", min_length=1, max_length=60)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)
    # Sage 100 databases this server may read itself (docs/security.md): directories of SQLite
    # files and hosts ("sql01", "sql01:1433"), comma-separated; "off" or empty: connectors only.
    # Unset: off, except the embedded demo which reads its data folder.
    direct_sources: Annotated[list[str] | None, NoDecode] = None
    # /metrics wants "Authorization: Bearer <token>" when a token is set. Without one it is
    # closed (401) unless the operator opens it: metrics_public=true, or the demo by default.
    metrics_token: SecretStr | None = None
    metrics_public: bool | None = None
    log_format: Literal["text", "json"] = "text"
    mail_poll_seconds: float = Field(default=5.0, gt=0)

    @field_validator("license_public_keys", "direct_sources", mode="before")
    @classmethod
    def _split_keys(cls, value: Any) -> Any:
        """Accept "kid:b64,kid:b64" (or one per line) as operators write it, or a JSON list."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]
        return value

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'seatbridge.db').as_posix()}"
        self.database_url = normalise_database_url(self.database_url)
        return self

    @property
    def metrics_open(self) -> bool:
        """Whether /metrics answers without a token (issue 13: private by default)."""
        return self.demo if self.metrics_public is None else self.metrics_public

    def require_real_secret(self) -> str:
        """Return the signing secret, refusing the placeholder outside the demo."""
        value = self.secret_key.get_secret_value()
        if not self.demo and value in PLACEHOLDER_SECRETS:
            raise ValueError(
                "SEATBRIDGE_SECRET_KEY is not set (or is a placeholder): set a long random value."
            )
        return value


def normalise_database_url(url: str) -> str:
    """Accept the URL spellings operators paste and map them to the drivers we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
