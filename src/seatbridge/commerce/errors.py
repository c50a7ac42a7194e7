"""Errors of the commerce domain: replication of customers and documents, portfolio queries."""

from __future__ import annotations

from typing import ClassVar

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class CommerceError(SeatbridgeError):
    code: ClassVar[str] = "commerce"


class ReplicationFailed(CommerceError):
    code = "commerce.replication_failed"
    template = N_(
        "La réplication de « {environment} » s'est arrêtée ({entity}) : {reason} "
        "Ce qui a été copié reste cohérent ; la prochaine réplication complétera la copie."
    )


class ReplicationBlocked(ReplicationFailed):
    """The safety brake: the run would delete too much of the copy (nothing was changed)."""

    code = "commerce.replication_blocked"
    needs_confirmation: ClassVar[bool] = True
    template = N_(
        "La réplication de « {environment} » est arrêtée par le frein de sécurité : {missing} "
        "{what} sur {copied} ({percent} %) disparaîtraient de la copie ({table}{empty}). Rien "
        "n'a été modifié. Vérifiez Sage 100, puis confirmez (--confirm, ou « appliquer quand "
        "même » dans l'administration)."
    )


class ProducerFailed(CommerceError):
    """The child process reading Sage 100 for a replication failed (its own message)."""

    code = "commerce.producer_failed"
    template = N_("{reason}")


class UserNotFound(CommerceError):
    code = "commerce.user_not_found"
    template = N_("Utilisateur introuvable dans ce compte : {user}.")


class InvalidPeriod(CommerceError):
    code = "commerce.invalid_period"
    template = N_("Période invalide : le {start} est après le {end}.")


class InvalidPage(CommerceError):
    code = "commerce.invalid_page"
    template = N_(
        "Page invalide : page {page} de {size} lignes (page >= 1, 1 <= lignes <= {max_size})."
    )
