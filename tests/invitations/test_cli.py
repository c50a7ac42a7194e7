"""`users invite` / `send-password` and `serve`, run as an operator would (SQLite store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seatbridge.cli.invitations import app
from seatbridge.cli.main import app as root
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.db.migrate import upgrade
from seatbridge.mail.mailbox import MailboxTransport
from tests.support.factories import make_account, make_environment

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    url = f"sqlite:///{tmp_path}/store.db"
    monkeypatch.setenv("SEATBRIDGE_DATABASE_URL", url)
    monkeypatch.setenv("SEATBRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SEATBRIDGE_BASE_URL", "http://127.0.0.1:8000")
    engine = create_store_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        account = make_account(session, seats=2, name="Bijou SA")
        make_environment(session, account, "BIJOU")
        (tmp_path / "slug").write_text(account.slug)
    engine.dispose()
    return tmp_path


def test_invite_sends_welcome_emails(store: Path) -> None:
    slug = (store / "slug").read_text()
    result = runner.invoke(
        app,
        [
            "invite",
            slug,
            "--email",
            "lea@bijou-sa.fr",
            "--email",
            "tom@bijou-sa.fr",
            "--environment",
            "BIJOU",
            "--ssm-only",
            "--reason",
            "consultants",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [user["status"] for user in payload["invited"]] == ["invited", "invited"]
    assert payload["mail"] == {"sent": 2, "deferred": 0}
    mailbox = MailboxTransport(store / "mailbox", "x@y.z")
    assert sorted(entry.recipient for entry in mailbox.list_messages()) == [
        "lea@bijou-sa.fr",
        "tom@bijou-sa.fr",
    ]

    result = runner.invoke(app, ["invite", slug, "--email", "third@bijou-sa.fr", "--ssm-only"])
    assert result.exit_code == 1
    assert "0 licence(s) libre(s) sur 2" in result.stderr and "Traceback" not in result.stderr

    result = runner.invoke(app, ["send-password", slug, "--email", "lea@bijou-sa.fr"])
    assert result.exit_code == 0 and "invitation en file d'envoi" in result.stdout
    assert len(mailbox.list_messages()) == 3


def test_names_go_with_one_email_only(store: Path) -> None:
    result = runner.invoke(
        app, ["invite", "x", "--email", "a@b.fr", "--email", "c@d.fr", "--first-name", "Léa"]
    )
    assert result.exit_code == 2 and "un seul --email" in result.stderr


def test_serve_refuses_the_placeholder_secret_outside_the_demo(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEATBRIDGE_DEMO", "false")
    monkeypatch.setenv("SEATBRIDGE_SECRET_KEY", "changethis")
    result = runner.invoke(root, ["serve", "--port", "1"])
    assert result.exit_code == 1 and "SEATBRIDGE_SECRET_KEY" in result.stderr
