"""`seatbridge env quality ENV [--json] [--csv FILE]` and the row report of `sync`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from seatbridge.cli.main import app
from tests.test_quality import dirty_shop

runner = CliRunner()


def run(*args: str, **env: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env or None)
    return result.exit_code, result.stdout, result.stderr


def test_quality_from_the_command_line(store: Path) -> None:
    sage = dirty_shop(store / "bijou.db")
    run("db", "upgrade")
    run("account", "create", "Bijou SA")
    assert run("account", "activate", "bijou-sa", (store / "code.txt").read_text())[0] == 0
    assert run("env", "add", "bijou-sa", "BIJOU", "--sage-url", sage.url)[0] == 0
    code, out, _ = run("sync", "bijou-sa/BIJOU")
    assert code == 0
    assert "F_COLLABORATEUR : 1 ligne(s) mise(s) de côté" in out
    assert "CO_No est vide : la ligne ne peut pas être rattachée." in out
    code, out, _ = run("sync", "bijou-sa/BIJOU", "--json")
    assert json.loads(out)["rows_set_aside"] == 1
    assert run("commerce", "replicate", "bijou-sa/BIJOU")[0] == 0

    code, out, _ = run("env", "quality", "bijou-sa/BIJOU")
    assert code == 0
    assert "Qualité des données Sage 100 — BIJOU : 11 point(s) à corriger" in out
    assert "adresse boutique@bijou-sa.fr partagée avec n° 6 BOUTIQUE Arras" in out
    code, out, _ = run("env", "quality", "bijou-sa/BIJOU", "--json")
    report = json.loads(out)
    assert code == 0 and report["problems"] == 11
    assert [s["count"] for s in report["sections"]] == [5, 2, 3, 1]
    exported = store / "qualite.csv"
    code, out, _ = run("env", "quality", "bijou-sa/BIJOU", "--csv", str(exported), "--json")
    rows = list(csv.reader(exported.read_text("utf-8-sig").splitlines()))
    assert rows[0][0] == "Rubrique" and len(rows) == 12
    code, out, _ = run("env", "quality", "bijou-sa/BIJOU", SEATBRIDGE_LANG="en")
    assert "Sage 100 data quality — BIJOU: 11 item(s) to fix" in out
    code, out, err = run("env", "quality", "bijou-sa/NOPE")
    assert code == 4 and "Traceback" not in out + err
