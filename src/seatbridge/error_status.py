"""How grave each domain error is, in one table shared by every edge.

The API answers an error with the HTTP status found here, and the command line exits with the code
derived from that same status (`seatbridge.cli.errors`), so the same failure gets the same answer
everywhere. The first class an error is an instance of gives its status; anything else is a 400.
The table imports nothing: it costs nothing to load, on the server as in the lean connector.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import DEFAULT_LOCALE, Text

# An error's class, as "module.Class" (an instance of a class implies its module is loaded, so the
# table names classes instead of importing their modules: the connector's lean install has no
# cryptography nor jinja2, and this module must load there). tests/test_error_status.py checks
# that every name is a SeatbridgeError.
STATUS: list[tuple[str, int]] = [
    ("seatbridge.apikeys.errors.ApiKeyRejected", 401),
    ("seatbridge.apikeys.errors.ScopeDenied", 403),
    ("seatbridge.accounts.errors.FeatureNotInEdition", 403),
    ("seatbridge.licensing.errors.ExpiredCode", 403),
    ("seatbridge.accounts.errors.AccountNotFound", 404),
    ("seatbridge.accounts.errors.EnvironmentNotFound", 404),
    ("seatbridge.directory.errors.UserNotFound", 404),
    ("seatbridge.commerce.errors.UserNotFound", 404),
    ("seatbridge.sync.errors.CaseNotFound", 404),
    ("seatbridge.apikeys.errors.ApiKeyNotFound", 404),
    ("seatbridge.accounts.errors.InvalidAccountName", 422),
    ("seatbridge.accounts.errors.InvalidEnvironment", 422),
    ("seatbridge.accounts.errors.SourceNotAllowed", 422),
    ("seatbridge.directory.errors.InvalidEmail", 422),
    ("seatbridge.directory.errors.InvalidRole", 422),
    ("seatbridge.sync.errors.NotACandidate", 422),
    ("seatbridge.sync.errors.CollaboratorNotFound", 422),
    ("seatbridge.apikeys.errors.InvalidScope", 422),
    ("seatbridge.apikeys.errors.InvalidKeyName", 422),
    ("seatbridge.commerce.errors.ReplicationBlocked", 409),
    ("seatbridge.commerce.errors.InvalidPeriod", 422),
    ("seatbridge.commerce.errors.InvalidPage", 422),
    ("seatbridge.connector.errors.InvalidInterval", 422),
    ("seatbridge.sage100.errors.Sage100InvalidUrl", 422),
    ("seatbridge.sage100.errors.DemoInvalidOption", 422),
    ("seatbridge.sage100.errors.DemoCompanyNotEmpty", 409),
    ("seatbridge.sync.errors.SyncFailed", 502),
    ("seatbridge.sage100.errors.Sage100Error", 502),
    ("seatbridge.connector.errors.ServerUnreachable", 502),
    ("seatbridge.connector.errors.ServerFailed", 502),
    ("seatbridge.connector.errors.UnexpectedAnswer", 502),
    ("seatbridge.connector.errors.StateFileError", 503),
    ("seatbridge.connector.errors.ServerRefused", 403),
    ("seatbridge.connector.errors.RunRejected", 409),
    ("seatbridge.mail.errors.TransportError", 502),
    ("seatbridge.db.errors.StoreError", 503),
    ("seatbridge.accounts.errors.AccountError", 409),
    ("seatbridge.directory.errors.DirectoryError", 409),
    ("seatbridge.sync.errors.SyncError", 409),
    ("seatbridge.invitations.errors.InvitationError", 409),
]

# Seat errors name their numbers after the pool they count.
SEAT_ERRORS = (
    "seatbridge.accounts.errors.SeatLimitReached",
    "seatbridge.accounts.errors.OverQuota",
    "seatbridge.accounts.errors.EnvironmentSeatCapReached",
)
SEAT_PARAMS = {"free", "total", "used", "requested", "excess", "cap"}
# Members an error document defines itself: a parameter with such a name is renamed.
RESERVED = {"type", "title", "status", "detail", "code", "instance", "errors"}
RENAMED = {"status": "user_status"}


def class_names(error: SeatbridgeError) -> set[str]:
    return {f"{cls.__module__}.{cls.__qualname__}" for cls in type(error).__mro__}


def status_of(
    error: SeatbridgeError, table: list[tuple[type[SeatbridgeError] | str, int]] | None = None
) -> int:
    names = class_names(error)
    for cls, status in STATUS if table is None else table:
        if cls in names if isinstance(cls, str) else isinstance(error, cls):
            return status
    return 400


def members_of(error: SeatbridgeError, locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
    """The error's parameters as JSON members (texts in the reader's language)."""
    seats = not class_names(error).isdisjoint(SEAT_ERRORS)
    members: dict[str, Any] = {}
    for name, value in error.params.items():
        key = f"seats_{name}" if seats and name in SEAT_PARAMS else name
        if key in RESERVED:
            key = RENAMED.get(key, f"error_{key}")
        if isinstance(value, Text):
            value = value.render(locale)
        elif isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        elif not isinstance(value, str | int | float | bool) and value is not None:
            value = str(value)
        members[key] = value
    return members
