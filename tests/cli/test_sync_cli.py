"""sync, users and reviews from the command line, against a generated Sage 100 company."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from seatbridge.cli.main import app
from seatbridge.sage100.demo import make_demo_company

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_sync_users_and_reviews(store: Path) -> None:
    sage = store / "bijou.db"
    make_demo_company(
        f"sqlite:///{sage}", company="BIJOU", collaborators=30, customers=10, documents=10, seed=5
    )
    run("db", "upgrade")
    run("account", "create", "Bijou SA")
    assert run("account", "activate", "bijou-sa", (store / "code.txt").read_text())[0] == 0
    assert run("env", "add", "bijou-sa", "BIJOU", "--sage-url", f"sqlite:///{sage}")[0] == 0

    code, out, _ = run("sync", "bijou-sa/BIJOU", "--dry-run", "--json")
    preview = json.loads(out)
    assert (
        code == 0 and preview["status"] == "preview" and preview["counts"]["add_collaborator"] == 30
    )
    code, out, _ = run("sync", "bijou-sa/BIJOU", "--json")
    assert code == 0 and json.loads(out)["status"] == "succeeded"
    code, out, _ = run("sync", "bijou-sa/BIJOU", "--json")
    assert code == 0 and json.loads(out)["counts"] == {}

    code, out, _ = run(
        "users",
        "create",
        "bijou-sa",
        "--email",
        "inconnu@ailleurs.fr",
        "--first-name",
        "Jeanne",
        "--last-name",
        "Inconnue",
        "--json",
    )
    created = json.loads(out)
    assert code == 0 and created["status"] == "pending_review"
    case_id = created["review_case"]["id"]
    code, out, _ = run("reviews", "list", "bijou-sa", "--json")
    assert case_id in [c["id"] for c in json.loads(out)]
    code, _, err = run("reviews", "resolve", "bijou-sa", str(case_id))
    assert code == 2 and "exactement une option" in err
    code, out, _ = run("reviews", "resolve", "bijou-sa", str(case_id), "--ssm-only", "--json")
    assert code == 0 and json.loads(out)["resolution"] == "ssm_only"
    mails = [m.read_text() for m in (store / "mailbox").glob("*.eml")]
    assert any("To: inconnu@ailleurs.fr" in m and "/auth/set-password/" in m for m in mails)
    code, _, err = run("reviews", "resolve", "bijou-sa", str(case_id), "--ssm-only")
    assert code == 1 and "déjà réglée" in err

    code, out, _ = run("users", "list", "bijou-sa", "--json")
    assert code == 0 and [u["status"] for u in json.loads(out)] == ["invited"]
    code, out, _ = run("users", "explain", "bijou-sa", "inconnu@ailleurs.fr")
    assert code == 0 and "sans collaborateur Sage 100" in out
    code, _, err = run("users", "explain", "bijou-sa", "personne@nulle-part.fr")
    assert code == 4 and "Utilisateur introuvable" in err


def test_sync_refuses_unknown_environments_and_connector_ones(store: Path) -> None:
    run("db", "upgrade")
    run("account", "create", "Bijou SA")
    run("account", "activate", "bijou-sa", (store / "code.txt").read_text())
    code, _, err = run("sync", "bijou-sa/NOPE")
    assert code == 4 and "Environnement introuvable" in err
    run("env", "add", "bijou-sa", "SITE", "--connector")
    code, _, err = run("sync", "bijou-sa/SITE")
    assert code == 1 and "connector" in err and "Traceback" not in err


def test_an_environment_fed_by_its_connector_is_not_read_from_here(store: Path) -> None:
    run("db", "upgrade")
    run("account", "create", "Bijou SA")
    assert run("account", "activate", "bijou-sa", (store / "code.txt").read_text())[0] == 0
    assert run("env", "add", "bijou-sa", "AGENCE", "--connector")[0] == 0
    for command in (["sync", "bijou-sa/AGENCE"], ["commerce", "replicate", "bijou-sa/AGENCE"]):
        code, out, err = run(*command)
        assert code == 1 and out == ""
        assert "alimenté par son connecteur sur site" in err and "Traceback" not in err


def test_sync_speaks_french_by_default_and_english_when_asked(store: Path) -> None:
    sage = store / "lang.db"
    make_demo_company(
        f"sqlite:///{sage}", company="LANG", collaborators=3, customers=1, documents=0, seed=2
    )
    run("db", "upgrade")
    run("account", "create", "Lang SA")
    assert run("account", "activate", "lang-sa", (store / "code.txt").read_text())[0] == 0
    assert run("env", "add", "lang-sa", "LANG", "--sage-url", f"sqlite:///{sage}")[0] == 0

    code, out, err = run("sync", "lang-sa/LANG", "--dry-run")
    assert code == 0, err
    assert "Aperçu (rien n'a été modifié) — LANG, synchronisation n° 1, 3 lus" in out
    assert "Nouveau collaborateur — " in out and "(n° 1 · LANG)" not in out  # not mirrored yet
    assert "nouveau dans Sage 100" in out and "new in Sage 100" not in out

    english = runner.invoke(app, ["sync", "lang-sa/LANG"], env={"SEATBRIDGE_LANG": "en"})
    assert english.exit_code == 0
    assert "Sync finished — LANG, sync no. 2, 3 read" in english.stdout
    assert "New collaborator — " in english.stdout and "new in Sage 100" in english.stdout
    assert "nouveau dans Sage 100" not in english.stdout

    code, out, err = run("sync", "lang-sa/NOPE")
    assert code == 4 and "introuvable" in err
    english = runner.invoke(app, ["sync", "lang-sa/NOPE"], env={"SEATBRIDGE_LANG": "en"})
    assert english.exit_code == 4 and "not found" in english.stderr


def test_sync_refuses_while_another_process_holds_the_environment(store: Path) -> None:
    sage = store / "bijou.db"
    make_demo_company(str(sage), collaborators=5, customers=3, documents=3, seed=5)
    run("db", "upgrade")
    run("account", "create", "Bijou SA")
    run("account", "activate", "bijou-sa", (store / "code.txt").read_text())
    run("env", "add", "bijou-sa", "BIJOU", "--sage-url", f"sqlite:///{sage}")
    holder = subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.lease_holder", f"sqlite:///{store}/store.db", "1",
         "30", "0.5"],
        cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        code, _, err = run("sync", "bijou-sa/BIJOU")
        assert code == 1
        assert "en cours depuis" in err and f":{holder.pid}:test-holder" in err
        code, _, err = run("commerce", "replicate", "bijou-sa/BIJOU")
        assert code == 1 and f":{holder.pid}:test-holder" in err
        code, out, _ = run("sync", "bijou-sa/BIJOU", "--dry-run", "--json")  # a preview may run
        assert code == 0 and json.loads(out)["status"] == "preview"
    finally:
        holder.kill()
        holder.wait()


def test_env_set_changes_the_three_cadences(store: Path) -> None:
    run("db", "upgrade")
    run("account", "create", "Bijou SA")
    run("account", "activate", "bijou-sa", (store / "code.txt").read_text())
    run("env", "add", "bijou-sa", "BIJOU", "--sage-url", f"sqlite:///{store}/bijou.db")
    code, out, err = run("env", "set", "bijou-sa/BIJOU", "--probe", "5s", "--delta", "15m",
                         "--full", "24h", "--json")  # fmt: skip
    assert code == 0, err
    assert {k: json.loads(out)[k] for k in ("probe_seconds", "delta_minutes", "full_hours")} == {
        "probe_seconds": 5, "delta_minutes": 15, "full_hours": 24}  # fmt: skip
    code, out, _ = run("env", "set", "bijou-sa/BIJOU", "--probe", "2s", "--delta", "1h")
    assert code == 0 and "toutes les 2 s" in out and "toutes les 60 min" in out
    code, _, err = run("env", "set", "bijou-sa/BIJOU", "--delta", "90s")
    assert code == 2 and "nombre entier" in err
    code, _, err = run("env", "set", "bijou-sa/BIJOU", "--probe", "2h")
    assert code == 2 and "hors des limites" in err
    code, out, _ = run("env", "list", "bijou-sa", "--json")
    assert json.loads(out)[0]["probe_seconds"] == 2 and json.loads(out)[0]["full_hours"] == 24
