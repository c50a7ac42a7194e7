"""Errors of the store itself: it cannot be opened, or its schema is behind the code."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class StoreError(SeatbridgeError):
    code = "store"
    template = N_("La base de seatbridge est indisponible.")


class StoreUnreachable(StoreError):
    code = "store.unreachable"
    template = N_("Impossible d'ouvrir la base de seatbridge ({kind}) : {detail}")


class StoreNotMigrated(StoreError):
    code = "store.not_migrated"
    template = N_(
        "La base de seatbridge n'est pas à jour : lancez d'abord « seatbridge db upgrade »."
    )
