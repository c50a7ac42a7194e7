"""Errors of API keys: issuing, revoking, and authenticating a request."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError


class ApiKeyError(SeatbridgeError):
    code = "api_key"


class ApiKeyRejected(ApiKeyError):
    """Missing, malformed, unknown and revoked keys all look the same from outside."""

    code = "api_key_rejected"
    fr = (
        "Clé d'API absente, inconnue ou révoquée : envoyez l'en-tête "
        "« Authorization: Bearer sbk_… » avec une clé valide de votre compte."
    )
    en = (
        "Missing, unknown or revoked API key: send the header "
        "'Authorization: Bearer sbk_…' with a valid key of your account."
    )


class ScopeDenied(ApiKeyError):
    code = "scope_denied"
    fr = "La portée de cette clé d'API ({scope}) ne permet pas cette opération ({needed})."
    en = "The scope of this API key ({scope}) does not allow this operation ({needed})."


class ApiKeyNotFound(ApiKeyError):
    code = "api_key_not_found"
    fr = "Clé d'API introuvable : {key}."
    en = "API key not found: {key}."


class InvalidScope(ApiKeyError):
    code = "invalid_scope"
    fr = "Portée inconnue : « {scope} » (admin, read, scim ou connector:<id de l'environnement>)."
    en = "Unknown scope: '{scope}' (admin, read, scim or connector:<environment id>)."


class InvalidKeyName(ApiKeyError):
    code = "invalid_key_name"
    fr = "Le nom de la clé est obligatoire ({limit} caractères au plus)."
    en = "The key needs a name ({limit} characters at most)."
