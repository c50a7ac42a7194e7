"""`seatbridge connector run` in-process (Typer's runner) against a real server."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from seatbridge.cli import connector
from seatbridge.cli.errors import SeatbridgeGroup
from tests.connector.conftest import Server, free_port

# As cli/main.py registers it.
cli = typer.Typer(cls=SeatbridgeGroup)
cli.add_typer(connector.app, name="connector")
runner = CliRunner()


def run(server_url: str, sage: Path, *options: str, key: str) -> tuple[int, str, str]:
    result = runner.invoke(
        cli,
        ["connector", "run", "--sage-url", f"sqlite:///{sage}", "--server", server_url,
         "--state", str(sage.with_suffix(".state.json")), *options],
        env={"SEATBRIDGE_CONNECTOR_KEY": key},
    )  # fmt: skip
    return result.exit_code, result.stdout, result.stderr


def test_once_pushes_then_says_what_was_applied(server: Server, sage: Path) -> None:
    code, out, err = run(server.url, sage, "--once", "--json", key=server.token)
    assert code == 0, err
    report = json.loads(out)
    assert report["status"] == "applied" and not report["blocked"]
    assert report["outcome"]["collaborators"]["counts"]["add_collaborator"] == 30
    code, out, _ = run(server.url, sage, "--once", key=server.token)
    assert code == 0
    assert f"Envoi n° {report['run_id'] + 1} appliqué" in out
    assert "Collaborateurs : " in out and "aucun changement" in out


def test_failures_are_one_line_and_never_show_the_key(server: Server, sage: Path) -> None:
    code, _, err = run(server.url, sage, "--once", key="sbk_000000000000_" + "x" * 43)
    assert code == 1 and "Clé d'API" in err and "Traceback" not in err
    assert "xxxxxxxx" not in err
    nowhere = f"http://127.0.0.1:{free_port()}"
    code, _, err = run(nowhere, sage, "--once", "--attempts", "1", key=server.token)
    assert code == 5 and "injoignable" in err and server.token not in err
    assert len(err.strip().splitlines()) <= 3
    code, _, err = run(server.url, sage, "--every", "5 minutes", key=server.token)
    assert code == 2 and "30s, 5m, 1h" in err
    code, _, err = run(server.url, sage.with_name("missing.db"), "--once", key=server.token)
    assert code == 5 and "Traceback" not in err
