"""`seatbridge sage100 make-demo`: a summary (or JSON) on success, one clear line on bad input."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.dialects import mssql
from typer.testing import CliRunner

from seatbridge.cli.main import app
from seatbridge.sage100.advice import index_ddl

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
    code, output = make_demo("postgresql+psycopg://postgres@127.0.0.1:1/BIJOU")
    assert code == 5
    assert_one_line(output, "127.0.0.1:1")
    code, output = make_demo("postgresql+psycopg://postgres@127.0.0.1:1/BIJOU", "--json")
    error = json.loads(output)["error"]
    assert code == 5 and error["code"] == "sage100.unreachable" and error["exit"] == "unavailable"
    assert "127.0.0.1:1" in error["details"]["location"]


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


class TestIndexes:
    def test_advice_then_nothing_to_do(self, tmp_path: Path) -> None:
        path = tmp_path / "bijou.db"
        assert make_demo(str(path), "--documents", "30", "--customers", "8", "--json")[0] == 0
        result = runner.invoke(app, ["sage100", "indexes", str(path), "--json"])
        assert result.exit_code == 0, result.output
        tables = json.loads(result.output)["tables"]
        assert [t["table"] for t in tables] == [
            "F_COLLABORATEUR", "F_COMPTET", "F_DOCENTETE", "F_DOCLIGNE"
        ]  # fmt: skip
        assert not any(t["indexed"] for t in tables)
        assert tables[2]["rows"] == 30 and tables[1]["rows"] == 8
        statements = [t["create"] for t in tables]
        assert statements[3] == (
            'CREATE INDEX "IX_SEATBRIDGE_DL_MOD" ON "F_DOCLIGNE" ("cbModification");'
        )
        with closing(sqlite3.connect(path)) as connection, connection:
            for statement in statements:
                connection.execute(statement)  # what the DBA runs
        result = runner.invoke(app, ["sage100", "indexes", str(path)])
        assert result.exit_code == 0, result.output
        assert "Rien à créer." in result.output and "absent" not in result.output

    def test_human_output_lists_the_statements(self, tmp_path: Path) -> None:
        path = tmp_path / "bijou.db"
        assert make_demo(str(path), "--documents", "5", "--customers", "3", "--json")[0] == 0
        result = runner.invoke(app, ["sage100", "indexes", str(path)])
        assert result.exit_code == 0, result.output
        assert "administrateur de la base" in result.output
        assert 'CREATE INDEX "IX_SEATBRIDGE_CT_MOD" ON "F_COMPTET"' in result.output

    def test_unreachable_database_is_one_line(self, tmp_path: Path) -> None:
        result = runner.invoke(app, ["sage100", "indexes", str(tmp_path / "none" / "x.db")])
        assert result.exit_code == 5
        assert "Impossible de se connecter" in result.output
        assert "Traceback" not in result.output

    def test_sql_server_statement(self) -> None:
        statement = index_ddl(
            mssql.dialect(), "F_DOCLIGNE", "cbModification", "IX_SEATBRIDGE_DL_MOD"
        )  # type: ignore[no-untyped-call]
        assert (
            statement == "CREATE INDEX [IX_SEATBRIDGE_DL_MOD] ON [F_DOCLIGNE] ([cbModification]);"
        )
