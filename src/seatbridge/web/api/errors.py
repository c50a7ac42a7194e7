"""Errors only the REST API raises (the rest come from the domains, with their own codes)."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError


class ApiError(SeatbridgeError):
    code = "api"


class RunNotFound(ApiError):
    code = "sync_run_not_found"
    fr = "Synchronisation n° {run} introuvable dans cet environnement."
    en = "Sync run {run} not found in this environment."


class ConnectorEnvironment(ApiError):
    code = "connector_environment"
    fr = (
        "L'environnement « {environment} » est alimenté par son connecteur sur site : le serveur "
        "ne lit pas sa base Sage 100 et ne peut pas le synchroniser d'ici."
    )
    en = (
        "Environment '{environment}' is fed by its on-premise connector: the server does not "
        "read its Sage 100 database and cannot sync it from here."
    )


class InvalidCursor(ApiError):
    code = "invalid_cursor"
    fr = "Curseur de pagination invalide : reprenez la liste depuis le début (sans cursor)."
    en = "Invalid pagination cursor: start the list again from the beginning (without cursor)."
