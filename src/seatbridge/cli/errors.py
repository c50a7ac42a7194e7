"""The command line's contract for scripts: one error shape and stable exit codes (docs/cli.md).

Every command runs inside `SeatbridgeGroup.main`, which turns whatever stopped it into one answer:
a line on stderr for a person, or, when `--json` was given, one JSON object on stdout,
``{"error": {"code", "message", "messages", "exit_code", "details"}}``. The exit code comes from
the error's class through the table every edge shares (`seatbridge.error_status`), so the same
failure exits with the same code in every command. No stack trace reaches the terminal: an
unexpected failure is written to a crash file whose path the message gives.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import traceback
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from seatbridge.errors import SeatbridgeError, ValueOutOfRange, is_out_of_range
from seatbridge.i18n import N_, Text, language

EXIT_OK = 0
EXIT_REFUSED = 1  # understood, but a rule says no (seats, licence, state, permission)
EXIT_BAD_INPUT = 2  # an argument, option or code that cannot be used as given
EXIT_NEEDS_CONFIRMATION = 3  # stopped by the safety brake; run again with --confirm
EXIT_NOT_FOUND = 4  # no such account, environment, user, key...
EXIT_UNAVAILABLE = 5  # the store, Sage 100, the server or the mail relay cannot be reached
EXIT_INTERNAL = 70  # a bug: nothing was changed, a crash file holds the details
EXIT_INTERRUPTED = 130  # Ctrl+C

EXIT_NAMES = {
    EXIT_OK: "done",
    EXIT_REFUSED: "refused",
    EXIT_BAD_INPUT: "bad_input",
    EXIT_NEEDS_CONFIRMATION: "needs_confirmation",
    EXIT_NOT_FOUND: "not_found",
    EXIT_UNAVAILABLE: "unavailable",
    EXIT_INTERNAL: "internal_error",
    EXIT_INTERRUPTED: "interrupted",
}

# Click's base exception, whether typer bundles click (0.29+) or depends on it (older).
ClickError: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)
UsageError: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError"
)

logger = logging.getLogger("seatbridge.cli")


def cli_locale() -> str:
    """The CLI's language: SEATBRIDGE_LANG (fr, en), French otherwise. The system's LANG is not
    used: servers often say en_US whatever their admin reads."""
    return language(os.environ.get("SEATBRIDGE_LANG"))


class CliError(SeatbridgeError):
    """A refusal worded by the command itself (an option clash, a bad --link...): `text` is a
    `Text` (rendered in each language) or an already rendered string."""

    code = "cli.refused"
    template = N_("{text}")

    def __init__(
        self, text: Text | str, *, exit_code: int, code: str | None = None, **details: Any
    ) -> None:
        super().__init__(text=text, **details)
        self.exit_code = exit_code
        self.code = code or f"cli.{EXIT_NAMES.get(exit_code, 'refused')}"  # type: ignore[misc]


class UsageProblem(SeatbridgeError):
    code = "cli.usage"
    template = N_("Commande mal formée : {detail}")


class Interrupted(SeatbridgeError):
    code = "cli.interrupted"
    template = N_("Interrompu : ce qui n'était pas terminé n'a pas été enregistré.")


class InternalError(SeatbridgeError):
    code = "internal_error"
    template = N_(
        "Erreur interne : l'opération a échoué sans rien modifier. Le détail est dans "
        "{crash_file} (référence {reference})."
    )


def exit_code_of(error: SeatbridgeError) -> int:
    """The exit code of a domain error, from the HTTP status the API gives the same error."""
    if isinstance(error, CliError):
        return error.exit_code
    if isinstance(error, UsageProblem):
        return EXIT_BAD_INPUT
    if isinstance(error, Interrupted):
        return EXIT_INTERRUPTED
    if isinstance(error, InternalError):
        return EXIT_INTERNAL
    if getattr(error, "needs_confirmation", False):  # a safety brake (commerce replication)
        return EXIT_NEEDS_CONFIRMATION
    from seatbridge.error_status import status_of

    status = status_of(error)
    if status == 404:
        return EXIT_NOT_FOUND
    if status in (400, 422):
        return EXIT_BAD_INPUT
    if status >= 500:
        return EXIT_UNAVAILABLE
    return EXIT_REFUSED


def error_document(error: SeatbridgeError, exit_code: int) -> dict[str, Any]:
    """``{"error": {...}}``: the stable code, the message in French and English, the values."""
    from seatbridge.error_status import members_of

    details = {k: v for k, v in members_of(error, cli_locale()).items() if k != "text"}
    return {
        "error": {
            "code": error.code,
            "message": error.message(cli_locale()),
            "messages": {"fr": error.message("fr"), "en": error.message("en")},
            "exit_code": exit_code,
            "exit": EXIT_NAMES.get(exit_code, "refused"),
            "details": details,
        }
    }


def with_result(error: SeatbridgeError, result: dict[str, Any] | None) -> SeatbridgeError:
    """Attach the command's JSON result to an error: `--json` prints both in one object."""
    error.cli_result = result  # type: ignore[attr-defined]
    return error


def report(error: SeatbridgeError, *, json_mode: bool) -> int:
    """Print `error` the way the caller asked for, and return its exit code."""
    exit_code = exit_code_of(error)
    if json_mode:
        result = getattr(error, "cli_result", None) or {}
        payload = result | error_document(error, exit_code)
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()
    else:
        from rich.console import Console
        from rich.markup import escape

        Console(stderr=True).print(
            f"[bold red]error:[/] {escape(error.message(cli_locale()))}",
            highlight=False,
            soft_wrap=True,
        )
    return exit_code


def _crash(error: BaseException) -> InternalError:
    """Write the traceback where an operator finds it, never on the terminal."""
    reference = uuid.uuid4().hex[:12]
    crash_file = Path(tempfile.gettempdir()) / f"seatbridge-crash-{reference}.txt"
    text = "".join(traceback.format_exception(error))
    try:
        crash_file.write_text(f"seatbridge {' '.join(sys.argv[1:])}\n{text}", encoding="utf-8")
    except OSError:
        crash_file = Path("(unwritable)")
    if logging.getLogger().handlers:
        logger.error("internal error %s", reference, exc_info=error)
    return InternalError(crash_file=str(crash_file), reference=reference)


def wants_json(args: Sequence[str]) -> bool:
    for arg in args:
        if arg == "--":
            return False
        if arg == "--json":
            return True
    return False


class SeatbridgeGroup(TyperGroup):
    """The root command: runs a command and answers its failure per the contract above."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        json_mode = wants_json(argv)
        try:
            if not json_mode:
                return super().main(argv, prog_name, complete_var, standalone_mode, **extra)
            outcome = super().main(argv, prog_name, complete_var, False, **extra)
            code = outcome if isinstance(outcome, int) else EXIT_OK
        except SeatbridgeError as error:
            code = report(error, json_mode=json_mode)
        except (KeyboardInterrupt, typer.Abort):
            code = report(Interrupted(), json_mode=json_mode)
        except (typer.Exit, SystemExit):
            raise
        except ClickError as error:  # only with --json: otherwise click prints it itself
            detail = error.format_message()  # type: ignore[attr-defined]
            code = report(UsageProblem(detail=detail), json_mode=True)
        except Exception as error:  # noqa: BLE001 - the last line of defence, by design
            # An id or date beyond what the store can hold names nothing: a usage error.
            found = ValueOutOfRange() if is_out_of_range(error) else _crash(error)
            code = report(found, json_mode=json_mode)
        if standalone_mode:
            sys.exit(code)
        return code


def fail(
    message: Text | str, code: int = EXIT_REFUSED, *, error_code: str | None = None, **details: Any
) -> NoReturn:
    """Stop the command with a refusal worded here (`code` is the exit code): one line, or one
    JSON object with --json whose code is `error_code` (by default named after the exit code)."""
    raise CliError(message, exit_code=code, code=error_code, **details)
