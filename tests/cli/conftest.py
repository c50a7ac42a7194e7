"""CLI tests run the real `seatbridge` app on a temporary SQLite store with a test vendor key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from seatbridge.licensing import generate_signing_key, issue_code


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    key = generate_signing_key("cli-test")
    keys_file = tmp_path / "vendor-keys.txt"
    keys_file.write_text(key.public_key_line() + "\n")
    monkeypatch.setenv("SEATBRIDGE_DATABASE_URL", f"sqlite:///{tmp_path}/store.db")
    monkeypatch.setenv("SEATBRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SEATBRIDGE_DIRECT_SOURCES", str(tmp_path))
    monkeypatch.setenv("SEATBRIDGE_LICENSE_PUBLIC_KEYS_FILE", str(keys_file))
    (tmp_path / "code.txt").write_text(
        issue_code(
            key,
            customer="Bijou SA",
            edition="advanced",
            seats=10,
            max_environments=2,
            issued_on=dt.date.today(),
            expires_on=dt.date.today() + dt.timedelta(days=365),
        )
    )
    return tmp_path
