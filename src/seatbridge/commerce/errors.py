"""Errors of the commerce domain: replication of customers and documents, portfolio queries."""

from __future__ import annotations

from typing import ClassVar

from seatbridge.errors import SeatbridgeError


class CommerceError(SeatbridgeError):
    code: ClassVar[str] = "commerce"


class ReplicationFailed(CommerceError):
    code = "commerce.replication_failed"
    fr = (
        "La réplication de « {environment} » s'est arrêtée ({entity}) : {reason} "
        "Ce qui a été copié reste cohérent ; la prochaine réplication complétera la copie."
    )
    en = (
        "The replication of '{environment}' stopped ({entity}): {reason} "
        "What was copied stays consistent; the next replication will complete the copy."
    )


class ProducerFailed(CommerceError):
    """The child process reading Sage 100 for a replication failed (its own message)."""

    code = "commerce.producer_failed"
    fr = "{reason}"
    en = "{reason_en}"


class UserNotFound(CommerceError):
    code = "commerce.user_not_found"
    fr = "Utilisateur introuvable dans ce compte : {user}."
    en = "User not found in this account: {user}."


class InvalidPeriod(CommerceError):
    code = "commerce.invalid_period"
    fr = "Période invalide : le {start} est après le {end}."
    en = "Invalid period: {start} is after {end}."


class InvalidPage(CommerceError):
    code = "commerce.invalid_page"
    fr = "Page invalide : page {page} de {size} lignes (page >= 1, 1 <= lignes <= {max_size})."
    en = "Invalid page: page {page} of {size} rows (page >= 1, 1 <= rows <= {max_size})."
