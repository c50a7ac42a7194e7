"""Errors only the REST API raises (the rest come from the domains, with their own codes)."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class ApiError(SeatbridgeError):
    code = "api"


class RunNotFound(ApiError):
    code = "sync_run_not_found"
    template = N_("Synchronisation n° {run} introuvable dans cet environnement.")


class ConnectorEnvironment(ApiError):
    code = "connector_environment"
    template = N_(
        "L'environnement « {environment} » est alimenté par son connecteur sur site : le serveur "
        "ne lit pas sa base Sage 100 et ne peut pas le synchroniser d'ici."
    )


class InvalidCursor(ApiError):
    code = "invalid_cursor"
    template = N_(
        "Curseur de pagination invalide : reprenez la liste depuis le début (sans cursor)."
    )
