"""How grave each domain error is, in one table shared by every edge.

The API answers an error with the HTTP status found here, and the command line exits with the code
derived from that same status (`seatbridge.cli.errors`), so the same failure gets the same answer
everywhere. The first class an error is an instance of gives its status; anything else is a 400.
Only domain error modules are imported here: the table costs nothing to load.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from seatbridge.accounts import errors as accounts
from seatbridge.apikeys import errors as apikeys
from seatbridge.commerce import errors as commerce
from seatbridge.connector import errors as connector
from seatbridge.db import errors as db
from seatbridge.directory import errors as directory
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import DEFAULT_LOCALE, Text
from seatbridge.invitations import errors as invitations
from seatbridge.licensing import errors as licensing
from seatbridge.mail import errors as mail
from seatbridge.sage100 import errors as sage100
from seatbridge.sync import errors as sync

STATUS: list[tuple[type[SeatbridgeError], int]] = [
    (apikeys.ApiKeyRejected, 401),
    (apikeys.ScopeDenied, 403),
    (accounts.FeatureNotInEdition, 403),
    (licensing.ExpiredCode, 403),
    (accounts.AccountNotFound, 404),
    (accounts.EnvironmentNotFound, 404),
    (directory.UserNotFound, 404),
    (commerce.UserNotFound, 404),
    (sync.CaseNotFound, 404),
    (apikeys.ApiKeyNotFound, 404),
    (accounts.InvalidAccountName, 422),
    (accounts.InvalidEnvironment, 422),
    (accounts.SourceNotAllowed, 422),
    (directory.InvalidEmail, 422),
    (directory.InvalidRole, 422),
    (sync.NotACandidate, 422),
    (sync.CollaboratorNotFound, 422),
    (apikeys.InvalidScope, 422),
    (apikeys.InvalidKeyName, 422),
    (commerce.InvalidPeriod, 422),
    (commerce.InvalidPage, 422),
    (connector.InvalidInterval, 422),
    (sage100.Sage100InvalidUrl, 422),
    (sage100.DemoInvalidOption, 422),
    (sage100.DemoCompanyNotEmpty, 409),
    (sync.SyncFailed, 502),
    (sage100.Sage100Error, 502),
    (connector.ServerUnreachable, 502),
    (connector.ServerFailed, 502),
    (connector.UnexpectedAnswer, 502),
    (connector.StateFileError, 503),
    (connector.ServerRefused, 403),
    (connector.RunRejected, 409),
    (mail.TransportError, 502),
    (db.StoreError, 503),
    (accounts.AccountError, 409),
    (directory.DirectoryError, 409),
    (sync.SyncError, 409),
    (invitations.InvitationError, 409),
]

# Seat errors name their numbers after the pool they count.
SEAT_ERRORS = (accounts.SeatLimitReached, accounts.OverQuota, accounts.EnvironmentSeatCapReached)
SEAT_PARAMS = {"free", "total", "used", "requested", "excess", "cap"}
# Members an error document defines itself: a parameter with such a name is renamed.
RESERVED = {"type", "title", "status", "detail", "code", "instance", "errors"}
RENAMED = {"status": "user_status"}


def status_of(
    error: SeatbridgeError, table: list[tuple[type[SeatbridgeError], int]] = STATUS
) -> int:
    return next((status for cls, status in table if isinstance(error, cls)), 400)


def members_of(error: SeatbridgeError, locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
    """The error's parameters as JSON members (texts in the reader's language)."""
    seats = isinstance(error, SEAT_ERRORS)
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
