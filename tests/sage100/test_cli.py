"""`seatbridge sage100 make-demo`: a summary (or JSON) on success, one clear line on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seatbridge.cli.main import app

runner = CliRunner()


def make_demo(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["sage100", "make-demo", *args])
    return result.exit_code, result.output


def test_json_summary(tmp_path: Path) -> None:
    code, output = make_demo(
        str(tmp_path / "bijou.db"), "--documents", "20", "--customers", "5", "--json"
    )
    assert code == 0, output
    summary = json.loads(output)
    assert summary["company"] == "BIJOU" and summary["schema"] == "recent"
    assert summary["tables"]["F_COLLABORATEUR"] == 40
    assert summary["tables"]["F_DOCENTETE"] == 20
    assert summary["tables"]["F_DOCLIGNE"] == summary["lines"] > 0


def test_table_summary_and_options(tmp_path: Path) -> None:
    target = f"sqlite:///{tmp_path / 'mode.db'}"
    options = ["--company", "MODE", "--collaborators", "16", "--customers", "4"]
    code, output = make_demo(target, *options, "--documents", "9", "--schema", "older")
    assert code == 0, output
    assert "F_DOCLIGNE" in output and "mode-sa.fr" in output
    code, output = make_demo(target, "--documents", "3", "--seed", "5", "--replace", "--json")
    assert code == 0 and json.loads(output)["tables"]["F_DOCENTETE"] == 3


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--collaborators", "-1"], "collaborators"),
        (["--documents", "-10"], "documents"),
        (["--schema", "v7"], "v7"),
        (["--company", "Bijou SA"], "company"),
    ],
)
def test_bad_options(tmp_path: Path, args: list[str], expected: str) -> None:
    code, output = make_demo(str(tmp_path / "x.db"), *args)
    assert code != 0
    assert_one_line(output, expected)


def test_unreachable_database() -> None:
    code, output = make_demo("postgresql+psycopg://postgres@127.0.0.1:1/BIJOU", "--json")
    assert code != 0
    assert_one_line(output, "127.0.0.1:1")


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    target = str(tmp_path / "x.db")
    assert make_demo(target, "--documents", "2", "--customers", "2")[0] == 0
    code, output = make_demo(target, "--documents", "2", "--customers", "2")
    assert code != 0
    assert_one_line(output, "--replace")


def assert_one_line(output: str, expected: str) -> None:
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("error:") and expected in lines[0]
    assert "Traceback" not in output
