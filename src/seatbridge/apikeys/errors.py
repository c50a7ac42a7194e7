"""Errors of API keys: issuing, revoking, and authenticating a request."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class ApiKeyError(SeatbridgeError):
    code = "api_key"


class ApiKeyRejected(ApiKeyError):
    """Missing, malformed, unknown and revoked keys all look the same from outside."""

    code = "api_key_rejected"
    template = N_(
        "Clé d'API absente, inconnue ou révoquée : envoyez l'en-tête "
        "« Authorization: Bearer sbk_… » avec une clé valide de votre compte."
    )


class ScopeDenied(ApiKeyError):
    code = "scope_denied"
    template = N_(
        "La portée de cette clé d'API ({scope}) ne permet pas cette opération ({needed})."
    )


class ApiKeyNotFound(ApiKeyError):
    code = "api_key_not_found"
    template = N_("Clé d'API introuvable : {key}.")


class InvalidScope(ApiKeyError):
    code = "invalid_scope"
    template = N_(
        "Portée inconnue : « {scope} » (admin, read, scim ou connector:<id de l'environnement>)."
    )


class InvalidKeyName(ApiKeyError):
    code = "invalid_key_name"
    template = N_("Le nom de la clé est obligatoire ({limit} caractères au plus).")
