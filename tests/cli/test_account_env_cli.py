"""The operator's commands: db upgrade, account create|activate|show, env add|list."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from seatbridge.cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_commands_before_the_store_exists_say_what_to_do(store: Path) -> None:
    code, _, err = run("account", "show", "bijou-sa")
    assert code == 5
    assert "seatbridge db upgrade" in err and "Traceback" not in err


def test_the_whole_operator_path(store: Path) -> None:
    code, out, _ = run("db", "upgrade", "--json")
    assert code == 0 and json.loads(out)["revision"]

    code, out, _ = run(
        "account", "create", "Bijou SA", "--admin-email", "patron@bijou-sa.fr", "--json"
    )
    created = json.loads(out)
    assert code == 0
    assert created["slug"] == "bijou-sa" and created["admin"]["status"] == "invited"
    assert created["seats"] == {"total": 0, "used": 1, "free": 0, "over_quota": True}
    (welcome,) = (store / "mailbox").glob("*.eml")
    assert "To: patron@bijou-sa.fr" in welcome.read_text()

    code, _, err = run("env", "add", "bijou-sa", "BIJOU", "--sage-url", "sqlite:///x.db")
    assert code == 1 and "Aucun code d'activation" in err and "Traceback" not in err

    activation_code = (store / "code.txt").read_text()
    code, out, _ = run("account", "activate", "bijou-sa", activation_code, "--json")
    activated = json.loads(out)
    assert code == 0 and activated["changed"] is True
    assert activated["seats"] == {"total": 10, "used": 1, "free": 9, "over_quota": False}
    assert activated["license"]["state"] == "valid"

    code, out, _ = run("account", "activate", "bijou-sa", activation_code.lower(), "--json")
    assert code == 0 and json.loads(out)["changed"] is False

    code, out, _ = run(
        "env",
        "add",
        "bijou-sa",
        "BIJOU",
        "--sage-url",
        f"sqlite:///{store}/x.db",
        "--seat-cap",
        "7",
        "--json",
    )
    assert code == 0 and json.loads(out)["seat_cap"] == 7
    # Outside SEATBRIDGE_DIRECT_SOURCES (the store's folder here): one sentence, nothing opened.
    for outside in ("sqlite:////etc/passwd", "postgresql://sa@10.0.0.5:5432/x", "/etc/hosts"):
        code, _, err = run("env", "add", "bijou-sa", "OUT", "--sage-url", outside)
        assert code == 2 and "n'est pas autorisé à lire" in err and "Traceback" not in err
        assert "passwd" not in err and "10.0.0.5" not in err
    code, out, _ = run("env", "add", "bijou-sa", "NORD", "--connector")
    assert code == 0
    code, _, err = run("env", "add", "bijou-sa", "SUD", "--connector")
    assert code == 1 and "2 environnement(s)" in err

    code, out, _ = run("env", "list", "bijou-sa", "--json")
    assert [e["name"] for e in json.loads(out)] == ["BIJOU", "NORD"]
    code, out, _ = run("account", "show", "bijou-sa")
    assert code == 0 and "1 licence utilisée sur 10" in out and "Code " in out
    english = runner.invoke(app, ["account", "show", "bijou-sa"], env={"SEATBRIDGE_LANG": "en"})
    assert "1 licence used of 10 (9 free)" in english.stdout and "utilisée" not in english.stdout
    code, out, _ = run("account", "set", "bijou-sa", "--scim-confirm-unmatched", "--json")
    assert code == 0 and json.loads(out)["scim_confirm_unmatched"] is True


def test_bad_codes_are_refused_in_one_line(store: Path) -> None:
    run("db", "upgrade")
    run("account", "create", "Bijou SA")
    code, _, err = run("account", "activate", "bijou-sa", "SB1-NOT-A-CODE")
    assert code == 2 and len(err.strip().splitlines()) <= 2 and "Traceback" not in err
    code, _, err = run("account", "activate", "nobody", (store / "code.txt").read_text())
    assert code == 4 and "Compte introuvable" in err
