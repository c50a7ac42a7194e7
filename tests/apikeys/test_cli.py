"""`seatbridge apikeys create|list|revoke` on a temporary SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seatbridge.apikeys import service as apikeys
from seatbridge.apikeys.errors import ApiKeyRejected
from seatbridge.cli.apikeys import app
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.db.migrate import upgrade
from tests.support.factories import clock, make_account, make_environment

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/store.db"
    monkeypatch.setenv("SEATBRIDGE_DATABASE_URL", url)
    monkeypatch.setenv("SEATBRIDGE_DATA_DIR", str(tmp_path))
    engine = create_store_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        account = make_account(session, name="Bijou SA")
        make_environment(session, account, "BIJOU")
        slug = account.slug
    engine.dispose()
    return slug


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_create_list_revoke(store: str) -> None:
    code, out, err = run("create", store, "--name", "Entra ID", "--scope", "scim")
    assert code == 0 and "montré qu'une fois" in err
    token = out.strip().splitlines()[-1]
    assert token.startswith("sbk_")

    code, out, _ = run("create", store, "--name", "Connector", "--scope", "connector:1", "--json")
    connector = json.loads(out)  # the store's first environment
    assert code == 0 and connector["scope"] == "connector:1" and connector["token"]

    code, out, _ = run("list", store, "--json")
    listed = json.loads(out)
    assert code == 0 and [k["scope"] for k in listed] == ["scim", "connector:1"]
    assert all("token" not in k for k in listed) and token not in out

    code, out, _ = run("revoke", store, connector["id"], "--json")
    assert code == 0 and json.loads(out)["revoked_at"]


def test_refusals_are_one_line(store: str) -> None:
    code, _, err = run("create", store, "--name", "x", "--scope", "owner")
    assert code == 2 and "Portée inconnue" in err and "Traceback" not in err
    code, _, err = run("revoke", store, "000000000000")
    assert code == 4 and "introuvable" in err


def test_a_revoked_key_no_longer_authenticates(store: str, tmp_path: Path) -> None:
    _, out, _ = run("create", store, "--name", "ci", "--scope", "read", "--json")
    created = json.loads(out)
    run("revoke", store, created["id"])
    engine = create_store_engine(f"sqlite:///{tmp_path}/store.db")
    try:
        with session_factory(engine).begin() as session, pytest.raises(ApiKeyRejected):
            apikeys.authenticate(session, token=created["token"], clock=clock())
    finally:
        engine.dispose()
