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

from seatbridge.cli.common import JSON_OPTION, emit_json, fail, load_settings, say
from seatbridge.cli.errors import EXIT_BAD_INPUT, SeatbridgeGroup, with_result
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.i18n import Text, _, _n
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
    typer.echo(
        say(
            _(
                "Clé privée écrite dans {path} (lisible par son seul propriétaire). Gardez-la "
                "secrète ; ne la versionnez jamais.",
                path=str(out),
            )
        )
    )
    typer.echo(
        say(
            _("Clé publique, pour SEATBRIDGE_LICENSE_PUBLIC_KEYS ou le fichier de clés publiques :")
        )
    )
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
        typer.echo(_describe(terms, today, code=normalise_code(text)))
    if status is not LicenseStatus.VALID:
        raise with_result(ExpiredCode(expires_on=terms.expires_on), result)


def _describe(terms: LicenseTerms, today: date, *, code: str | None = None) -> str:
    """The terms as aligned lines (in the CLI's language), with where they stand on `today`."""
    rows: list[tuple[Text | str, Text | str]] = [(_("Code"), code)] if code else []
    rows += [
        (_("Client"), terms.customer),
        (_("Édition"), terms.edition.value),
        (_("Licences"), str(terms.seats)),
        (_("Environnements"), _("{n} au plus", n=terms.max_environments)),
        (_("Émis le"), terms.issued_on.isoformat()),
        (
            _("Expire le"),
            _(
                "{day} ({standing})",
                day=terms.expires_on.isoformat(),
                standing=_standing(terms, today),
            ),
        ),
        (
            _("Délai de grâce"),
            _n(
                "{n} jour, jusqu'au {day}",
                "{n} jours, jusqu'au {day}",
                terms.grace_days,
                day=terms.grace_ends_on.isoformat(),
            ),
        ),
        (_("N° de série"), terms.serial),
        (_("Clé de signature"), terms.key_id),
    ]
    labels = [say(label) for label, _value in rows]
    width = max(len(label) for label in labels) + 2
    return "\n".join(
        f"{label:<{width}}{say(value)}" for label, (_label, value) in zip(labels, rows, strict=True)
    )


def _standing(terms: LicenseTerms, today: date) -> Text:
    days = terms.days_left(today)
    status = terms.status(today)
    if status is LicenseStatus.VALID:
        if days == 0:
            return _("valide, dernier jour")
        return _n("valide, encore {n} jour", "valide, encore {n} jours", days)
    if status is LicenseStatus.GRACE:
        return _n(
            "expiré depuis {n} jour ; les utilisateurs gardent l'accès jusqu'au {day}",
            "expiré depuis {n} jours ; les utilisateurs gardent l'accès jusqu'au {day}",
            -days,
            day=terms.grace_ends_on.isoformat(),
        )
    return _n(
        "expiré depuis {n} jour ; délai de grâce écoulé",
        "expiré depuis {n} jours ; délai de grâce écoulé",
        -days,
    )


def _parse_date(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        _bad(
            _(
                "{option} : {value!r} n'est pas une date ; écrivez-la AAAA-MM-JJ.",
                option=option,
                value=value,
            )
        )


def _bad(message: Text | str, error_code: str | None = None) -> NoReturn:
    fail(message, EXIT_BAD_INPUT, error_code=error_code)


@contextmanager
def _bad_input() -> Iterator[None]:
    """A licensing error goes up as it is: exit 2 for a code or key that cannot be used, 1 for an
    authentic but expired code (seatbridge.cli.errors)."""
    yield
