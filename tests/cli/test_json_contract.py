"""The CLI's contract for scripts (docs/cli.md), walked over every command of the real app.

Each command that takes --json is made to fail in a way of its own; its answer must be one JSON
object on stdout (nothing on stderr), with the documented code and exit code, and the same failure
without --json must be one line on stderr with the same exit code. A command added without an entry
in FAILURES makes the walk fail, so the contract cannot be forgotten.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from seatbridge.cli.errors import EXIT_NAMES, SeatbridgeGroup
from seatbridge.cli.main import COMMANDS, app
from seatbridge.sage100.demo import make_demo_company

runner = CliRunner()
UNREACHABLE_PG = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"

# command path -> (arguments after it, expected error code, expected exit code)
FAILURES: dict[str, tuple[list[str], str, int]] = {
    "sync": (["bijou-sa/NOPE"], "environment_not_found", 4),
    "db upgrade": ([], "store.unreachable", 5),  # run against UNREACHABLE_PG
    "license keygen": (
        ["--key-id", "bad id!", "--out", "{tmp}/k.pem"],
        "license.invalid_key_id",
        2,
    ),
    "license issue": (
        [
            "--key",
            "{tmp}/missing.pem",
            "--customer",
            "X",
            "--seats",
            "1",
            "--edition",
            "starter",
            "--expires",
            "2030-01-01",
        ],
        "license.signing_key_unreadable",
        2,
    ),
    "license inspect": (["SB1-ABCDE"], "license.truncated", 2),
    "account create": (["Bijou SA"], "account_exists", 1),
    "account activate": (["bijou-sa", "SB1-ABCDE"], "license.truncated", 2),
    "account show": (["nobody"], "account_not_found", 4),
    "account set": (["nobody", "--scim-confirm-unmatched"], "account_not_found", 4),
    "env add": (["bijou-sa", "X", "--sage-url", "sqlite://", "--connector"], "cli.bad_input", 2),
    "env list": (["nobody"], "account_not_found", 4),
    "env quality": (["bijou-sa/NOPE"], "environment_not_found", 4),
    "env set": (["bijou-sa/NOPE", "--probe", "5s"], "environment_not_found", 4),
    "sage100 make-demo": (["nosuchdriver://x"], "sage100.invalid_url", 2),
    "sage100 indexes": (["{tmp}/no-such-dir/x.db"], "sage100.unreachable", 5),
    "commerce replicate": (["bijou-sa/NOPE"], "environment_not_found", 4),
    "commerce portfolio": (["bijou-sa", "nobody@nowhere.fr"], "commerce.user_not_found", 4),
    "apikeys create": (["bijou-sa", "--name", "x", "--scope", "owner"], "invalid_scope", 2),
    "apikeys list": (["nobody"], "account_not_found", 4),
    "apikeys revoke": (["bijou-sa", "000000000000"], "api_key_not_found", 4),
    "connector run": (
        [
            "--sage-url",
            "sqlite://",
            "--server",
            "http://127.0.0.1:1",
            "--key",
            "k",
            "--every",
            "5 minutes",
        ],
        "connector.invalid_interval",
        2,
    ),
    "users list": (["nobody"], "account_not_found", 4),
    "users create": (["nobody", "--email", "lea@bijou-sa.fr"], "account_not_found", 4),
    "users explain": (["bijou-sa", "nobody@nowhere.fr"], "user_not_found", 4),
    "users invite": (
        ["bijou-sa", "--email", "a@b.fr", "--email", "c@d.fr", "--first-name", "Léa"],
        "cli.bad_input",
        2,
    ),
    "users send-password": (["nobody", "--email", "lea@bijou-sa.fr"], "account_not_found", 4),
    "reviews list": (["nobody"], "account_not_found", 4),
    "reviews resolve": (["bijou-sa", "1"], "cli.bad_input", 2),
}


def leaf_commands() -> Iterator[tuple[str, Any]]:
    def walk(command: Any, path: list[str]) -> Iterator[tuple[str, Any]]:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), command

    root = typer.main.get_command(app)
    for name in COMMANDS:  # the root imports its groups lazily: load each one
        yield from walk(root.load(name), [name])  # type: ignore[attr-defined]


def takes_json(command: Any) -> bool:
    return any("--json" in getattr(param, "opts", []) for param in command.params)


@pytest.fixture
def bijou(store: Path) -> Path:
    """A migrated store with one activated account, `bijou-sa`."""
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["account", "create", "Bijou SA"]).exit_code == 0
    code = (store / "code.txt").read_text()
    assert runner.invoke(app, ["account", "activate", "bijou-sa", code]).exit_code == 0
    return store


def invoke(path: str, args: list[str], tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    if path == "db upgrade":
        monkeypatch.setenv("SEATBRIDGE_DATABASE_URL", UNREACHABLE_PG)
    argv = [*path.split(), *(a.replace("{tmp}", str(tmp)) for a in args)]
    return runner.invoke(app, argv)


def error_of(result: Any) -> dict[str, Any]:
    assert result.stderr == "", result.stderr
    document = json.loads(result.stdout)  # exactly one JSON value on stdout
    error = document["error"]
    assert isinstance(error, dict)
    return error


def test_every_command_with_json_has_a_failure_in_the_walk() -> None:
    assert {path for path, command in leaf_commands() if takes_json(command)} == set(FAILURES)


@pytest.mark.parametrize("path", sorted(FAILURES))
def test_a_failure_is_one_json_object_with_a_stable_code(
    path: str, bijou: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, code, exit_code = FAILURES[path]
    result = invoke(path, [*args, "--json"], bijou, monkeypatch)
    assert result.exit_code == exit_code, result.output
    error = error_of(result)
    assert error["code"] == code
    assert error["exit_code"] == exit_code and error["exit"] == EXIT_NAMES[exit_code]
    assert error["message"] == error["messages"]["fr"] and error["messages"]["en"]
    assert isinstance(error["details"], dict)

    human = invoke(path, args, bijou, monkeypatch)
    assert human.exit_code == exit_code and human.stdout == ""
    line = human.stderr.strip()
    assert line.startswith("error: ") and "Traceback" not in human.output
    assert (
        line.removeprefix("error: ").replace("\n", " ").split()[:3]
        == (error["message"].split()[:3])
    )


@pytest.mark.parametrize("path", sorted(p for p, c in leaf_commands() if takes_json(c)))
def test_a_malformed_command_is_a_json_usage_error(path: str, bijou: Path) -> None:
    result = runner.invoke(app, [*path.split(), "--json", "--no-such-option"])
    assert result.exit_code == 2
    error = error_of(result)
    assert error["code"] == "cli.usage" and "--no-such-option" in error["message"]


def test_the_same_bad_code_gets_the_same_answer_everywhere(bijou: Path) -> None:
    for text in ("SB1-ABCDE", "hello", "SB1-0U"):
        activate = runner.invoke(app, ["account", "activate", "bijou-sa", text, "--json"])
        inspect = runner.invoke(app, ["license", "inspect", text, "--json"])
        assert activate.exit_code == inspect.exit_code == 2
        assert error_of(activate)["code"] == error_of(inspect)["code"]


def test_a_store_behind_the_code_says_so(store: Path) -> None:
    with closing(sqlite3.connect(store / "store.db")):
        pass  # an empty, unmigrated store
    result = runner.invoke(app, ["account", "show", "bijou-sa", "--json"])
    assert result.exit_code == 5
    error = error_of(result)
    assert error["code"] == "store.not_migrated" and "seatbridge db upgrade" in error["message"]


def test_a_blocked_sync_says_it_needs_confirmation(bijou: Path) -> None:
    sage = bijou / "bijou.db"
    make_demo_company(
        f"sqlite:///{sage}", company="BIJOU", collaborators=20, customers=5, documents=5, seed=3
    )
    env = ["env", "add", "bijou-sa", "BIJOU", "--sage-url", f"sqlite:///{sage}"]
    assert runner.invoke(app, env).exit_code == 0
    first = runner.invoke(app, ["sync", "bijou-sa/BIJOU", "--json"])
    assert first.exit_code == 0 and json.loads(first.stdout)["needs_confirmation"] is False
    with closing(sqlite3.connect(sage)) as connection:
        found = connection.execute("SELECT CO_EMail FROM F_COLLABORATEUR ORDER BY CO_No")
        emails = [e for (e,) in found if e and re.fullmatch(r"[a-z]+\.[a-z]+@bijou-sa\.fr", e)]
    invite = ["users", "invite", "bijou-sa", "--environment", "BIJOU"]
    invite += [f"--email={e}" for e in emails[:8]]
    invited = runner.invoke(app, invite)
    assert invited.exit_code == 0, invited.output
    assert runner.invoke(app, ["sync", "bijou-sa/BIJOU", "--full"]).exit_code == 0  # links them
    with closing(sqlite3.connect(sage)) as connection, connection:
        connection.execute("DELETE FROM F_COLLABORATEUR")

    blocked = runner.invoke(app, ["sync", "bijou-sa/BIJOU", "--full", "--json"])
    assert blocked.exit_code == 3, blocked.output
    report = json.loads(blocked.stdout)  # progress never reaches stdout
    assert report["status"] == "blocked" and report["needs_confirmation"] is True
    assert report["confirm_with"].endswith("--confirm")

    confirmed = runner.invoke(app, [*report["confirm_with"].split()[1:], "--json"])
    assert confirmed.exit_code == 0, confirmed.output
    applied = json.loads(confirmed.stdout)
    assert applied["status"] == "succeeded" and applied["needs_confirmation"] is False


def test_an_unexpected_failure_is_an_internal_error_without_a_stack_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    broken = typer.Typer(cls=SeatbridgeGroup)

    @broken.command("boom")
    def boom(json_output: bool = typer.Option(False, "--json")) -> None:
        {}["missing"]  # a bug, not a domain error

    @broken.command("other")
    def other() -> None:  # two commands, so that the app stays a group
        pass

    for argv in (["boom", "--json"], ["boom"]):
        result = runner.invoke(broken, argv)
        assert result.exit_code == 70 and "Traceback" not in result.output
    error = json.loads(runner.invoke(broken, ["boom", "--json"]).stdout)["error"]
    assert error["code"] == "internal_error"
    crash = Path(error["details"]["crash_file"])
    assert crash.parent == tmp_path and "KeyError: 'missing'" in crash.read_text()
