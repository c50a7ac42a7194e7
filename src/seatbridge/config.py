"""One typed settings object, built by each entry point and passed down (never a global)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "changethis", "change-me", "demo-secret-key"})
DEFAULT_DATA_DIR = Path("var")


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
    # Trusted vendor public keys, as "key-id:base64" items; the demo adds its own generated key.
    license_public_keys: list[str] = Field(default_factory=list)
    license_public_keys_file: Path | None = None

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'seatbridge.db').as_posix()}"
        self.database_url = normalise_database_url(self.database_url)
        return self

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
