"""Every command, given hostile values for its arguments, answers one line and never a traceback
or an internal error (issue 13: `seatbridge sync 999999999999999999999`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from seatbridge.cli.main import COMMANDS, app, load
from tests.cli.test_sync_cli import run, runner

HOSTILE = ["999999999999999999999", "-1", "a\x00b", "x" * 3000]
# Long-running servers and loops, and commands that generate files, are not walked.
SKIPPED = {"demo", "serve", "worker", "connector run", "sage100 make-demo", "license keygen"}


def leaf_commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None:
            continue
        full = f"{prefix}{name}"
        if hasattr(command, "list_commands"):  # a group (typer may ship its own click)
            found += leaf_commands(command, full + " ")
        else:
            found.append((full, command))
    return found


def test_every_command_refuses_hostile_arguments_in_one_line(store: Path) -> None:
    run("db", "upgrade")
    top = click.Group("seatbridge", commands={name: load(name) for name in COMMANDS})
    commands = leaf_commands(top)
    assert len(commands) > 20
    problems = []
    for name, command in commands:
        if name in SKIPPED:
            continue
        arguments = [p for p in command.params if type(p).__name__.endswith("Argument")]
        if not arguments:
            continue
        for value in HOSTILE:
            result = runner.invoke(app, [*name.split(), *([value] * len(arguments))])
            output = (result.stdout or "") + (result.stderr or "")
            if "Traceback" in output or "Erreur interne" in output or result.exit_code == 70:
                problems.append(f"{name} {value[:30]!r}: {output.strip()[:160]}")
    assert not problems, "\n".join(problems)
