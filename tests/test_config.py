"""Settings: one typed object from SEATBRIDGE_* variables."""

from __future__ import annotations

import pytest

from seatbridge.config import Settings, normalise_database_url


class TestSettings:
    def test_default_store_is_a_sqlite_file_in_the_data_dir(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: object
    ) -> None:
        monkeypatch.delenv("SEATBRIDGE_DATABASE_URL", raising=False)
        monkeypatch.setenv("SEATBRIDGE_DATA_DIR", "/srv/sb")
        assert Settings().database_url == "sqlite:////srv/sb/seatbridge.db"

    def test_postgres_urls_use_psycopg(self) -> None:
        assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
        assert normalise_database_url("postgresql://h/db") == "postgresql+psycopg://h/db"
        assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"

    def test_placeholder_secret_refused_outside_demo(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("SEATBRIDGE_SECRET_KEY", raising=False)
        with pytest.raises(ValueError, match="SEATBRIDGE_SECRET_KEY"):
            Settings(demo=False).require_real_secret()
        assert Settings(demo=True).require_real_secret()
        assert Settings(secret_key="x" * 40).require_real_secret() == "x" * 40

    def test_public_keys_as_operators_write_them(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SEATBRIDGE_LICENSE_PUBLIC_KEYS", "2025a:AAAA, 2026a:BBBB")
        assert Settings().license_public_keys == ["2025a:AAAA", "2026a:BBBB"]
        monkeypatch.setenv("SEATBRIDGE_LICENSE_PUBLIC_KEYS", '["2025a:AAAA"]')
        assert Settings().license_public_keys == ["2025a:AAAA"]
