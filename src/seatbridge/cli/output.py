"""Output every command shares: the --json option, the two consoles and JSON printing.

Kept apart from `cli.common` (settings, the store) so that the connector's command depends on
nothing of the server side (the import contract in pyproject.toml).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from seatbridge.cli.errors import cli_locale
from seatbridge.i18n import Text, render

JSON_OPTION = typer.Option(False, "--json", help="Print a machine-readable JSON result.")

stderr = Console(stderr=True)
stdout = Console()


def emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")


def say(text: Text | str) -> str:
    """A message in the CLI's language."""
    return str(render(text, cli_locale()))


def tell(text: Text | str) -> None:
    """Print one message in the CLI's language (as written: no console markup)."""
    stdout.print(escape(say(text)), highlight=False)
