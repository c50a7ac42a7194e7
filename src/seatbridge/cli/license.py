"""`seatbridge license ...`: the vendor's signing keys and activation codes.

Exit codes (docs/cli.md): 0 done; 1 the code is authentic but expired (its terms are still
printed); 2 the input could not be used (bad code, bad date, unreadable key...).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import NoReturn

import typer

from seatbridge.cli.common import JSON_OPTION, emit_json, fail, load_settings
from seatbridge.cli.errors import EXIT_BAD_INPUT, SeatbridgeGroup, with_result
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.licensing import (
    DEFAULT_GRACE_DAYS,
    Edition,
    ExpiredCode,
    KeyRing,
    LicenseStatus,
    LicenseTerms,
    generate_signing_key,
    issue_code,
    load_signing_key,
    normalise_code,
    read_code,
    save_signing_key,
)
from seatbridge.licensing.validation import clean_edition

app = typer.Typer(
    cls=SeatbridgeGroup, help="Activation codes: keys, issuing, inspection.", no_args_is_help=True
)


@app.command("keygen")
def keygen(
    key_id: str = typer.Option(
        ..., "--key-id", help="Name of the key, written into every code it signs (e.g. 2025a)."
    ),
    out: Path = typer.Option(..., "--out", help="Private key file to create (mode 0600)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Create a vendor signing key and print the public key line installations must trust."""
    with _bad_input():
        key = generate_signing_key(key_id)
        save_signing_key(key, out, overwrite=force)
    line = key.public_key_line()
    if json_output:
        emit_json({"key_id": key.key_id, "private_key_file": str(out), "public_key": line})
        return
    typer.echo(f"Private key written to {out} (owner-only). Keep it secret; never commit it.")
    typer.echo("Public key, for SEATBRIDGE_LICENSE_PUBLIC_KEYS or the public keys file:")
    typer.echo(line)


@app.command("issue")
def issue(
    key: Path = typer.Option(..., "--key", help="Private key file written by 'license keygen'."),
    customer: str = typer.Option(..., "--customer", help="Customer name, shown in the product."),
    seats: int = typer.Option(..., "--seats", help="Number of seats (users holding a licence)."),
    edition: str = typer.Option(..., "--edition", help="starter or advanced."),
    max_environments: int | None = typer.Option(
        None, "--max-environments", help="Companies allowed (starter: 1; required for advanced)."
    ),
    expires: str = typer.Option(..., "--expires", help="Last valid day, YYYY-MM-DD."),
    issued: str | None = typer.Option(None, "--issued", help="Issue day, YYYY-MM-DD (today)."),
    grace_days: int = typer.Option(
        DEFAULT_GRACE_DAYS, "--grace-days", help="Days users keep access after expiry."
    ),
    serial: str | None = typer.Option(None, "--serial", help="8-character serial (random)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Sign an activation code for a customer and print it."""
    expires_on = _parse_date("--expires", expires)
    issued_on = SYSTEM_CLOCK.today() if issued is None else _parse_date("--issued", issued)
    with _bad_input():
        chosen = clean_edition(edition)
        if max_environments is None:
            if chosen is not Edition.STARTER:
                _bad("--max-environments is required for the advanced edition.")
            max_environments = 1
        signing_key = load_signing_key(key)
        code = issue_code(
            signing_key,
            customer=customer,
            edition=chosen,
            seats=seats,
            max_environments=max_environments,
            issued_on=issued_on,
            expires_on=expires_on,
            grace_days=grace_days,
            serial=serial,
        )
        # Read the code back as a customer would: what is printed is what was signed.
        terms = read_code(code, KeyRing({signing_key.key_id: signing_key.public_key}))
    if json_output:
        emit_json({"code": code, "terms": terms.to_dict()})
        return
    typer.echo(code)
    # The terms go to stderr so that stdout holds only the code, for scripts.
    typer.echo(_describe(terms, SYSTEM_CLOCK.today()), err=True)


@app.command("inspect")
def inspect(
    code: list[str] = typer.Argument(
        ..., help="The activation code (spaces allowed; '-' reads it from standard input)."
    ),
    public_keys: list[str] | None = typer.Option(
        None, "--public-key", help="Also trust this KEY_ID:BASE64 public key (repeatable)."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Verify a code offline and show its terms; exit 1 if it has expired."""
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    text = sys.stdin.read() if code == ["-"] else " ".join(code)
    try:
        settings = load_settings()
    except ValidationError as error:
        _bad(f"invalid settings: {error.errors()[0]['msg']}", error_code="settings.invalid")
    except SettingsError as error:
        # pydantic-settings reads list settings from the environment as JSON.
        _bad(
            f"invalid settings ({error}); lists such as the public keys are JSON: '[\"id:key\"]'.",
            error_code="settings.invalid",
        )
    with _bad_input():
        keyring = KeyRing.from_settings(settings).merged(KeyRing.from_lines(public_keys or []))
        terms = read_code(text, keyring)
    today = SYSTEM_CLOCK.today()
    status = terms.status(today)
    result = {
        "code": normalise_code(text),
        "status": status.value,
        "days_left": terms.days_left(today),
        "terms": terms.to_dict(),
    }
    if json_output and status is LicenseStatus.VALID:
        emit_json(result)
    elif not json_output:
        typer.echo(f"{'Code':<14}{normalise_code(text)}")
        typer.echo(_describe(terms, today))
    if status is not LicenseStatus.VALID:
        raise with_result(ExpiredCode(expires_on=terms.expires_on), result)


def _describe(terms: LicenseTerms, today: date) -> str:
    """The terms as aligned lines, with where they stand on `today`."""
    rows = [
        ("Customer", terms.customer),
        ("Edition", terms.edition.value),
        ("Seats", str(terms.seats)),
        ("Environments", f"{terms.max_environments} at most"),
        ("Issued on", terms.issued_on.isoformat()),
        ("Expires on", f"{terms.expires_on.isoformat()} ({_standing(terms, today)})"),
        ("Grace period", f"{terms.grace_days} days, until {terms.grace_ends_on.isoformat()}"),
        ("Serial", terms.serial),
        ("Signing key", terms.key_id),
    ]
    return "\n".join(f"{label:<14}{value}" for label, value in rows)


def _standing(terms: LicenseTerms, today: date) -> str:
    days = terms.days_left(today)
    status = terms.status(today)
    if status is LicenseStatus.VALID:
        return "valid, last day" if days == 0 else f"valid, {days} days left"
    if status is LicenseStatus.GRACE:
        return f"expired {-days} days ago; users keep access until {terms.grace_ends_on}"
    return f"expired {-days} days ago; grace period over"


def _parse_date(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        _bad(f"{option}: {value!r} is not a date; write it as YYYY-MM-DD.")


def _bad(message: str, error_code: str | None = None) -> NoReturn:
    fail(message, EXIT_BAD_INPUT, error_code=error_code)


@contextmanager
def _bad_input() -> Iterator[None]:
    """A licensing error goes up as it is: exit 2 for a code or key that cannot be used, 1 for an
    authentic but expired code (seatbridge.cli.errors)."""
    yield
