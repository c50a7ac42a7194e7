"""The root lists its groups without importing them (issue 18), in the words they use."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from seatbridge.cli.main import COMMANDS, app, load

# What `seatbridge --help` must not import: the store, the web, jobs, drivers and HTTP stacks.
HEAVY = ("sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "procrastinate", "httpx",
         "psycopg", "pymssql", "jinja2", "cryptography", "pydantic_settings")  # fmt: skip


def imported_by(*argv: str) -> set[str]:
    code = (
        "import sys\n"
        "from seatbridge.cli.main import app\n"
        f"sys.argv = ['seatbridge', *{list(argv)!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return {line.split(".")[0] for line in out.splitlines()}


def test_help_imports_none_of_the_heavy_stacks() -> None:
    assert not imported_by("--help") & set(HEAVY)


def test_licence_help_imports_no_store_nor_web() -> None:
    assert not imported_by("license", "--help") & {"sqlalchemy", "alembic", "fastapi", "httpx"}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_help_line_is_the_one_its_module_declares(name: str) -> None:
    command = load(name)
    declared = " ".join((command.help or "").split())
    listed = COMMANDS[name][2]
    assert declared.startswith(listed.rstrip(".")), f"cli/main.py COMMANDS[{name!r}]: {declared}"


def test_the_listing_names_every_group_and_running_one_loads_it() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert all(name in result.stdout for name in COMMANDS)
    result = CliRunner().invoke(app, ["users", "--help"])
    assert result.exit_code == 0 and "invite" in result.stdout and "send-password" in result.stdout
    assert "users" in typer.main.get_command(app).list_commands(None)  # type: ignore[attr-defined]
