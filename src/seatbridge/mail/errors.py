"""Errors of mail delivery (recorded on the outbox row, never shown to the recipient)."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class MailError(SeatbridgeError):
    code = "mail"


class TransportError(MailError):
    """The message could not be handed over; `permanent` says whether retrying can help."""

    code = "mail_transport"
    template = N_("L'envoi de l'e-mail a échoué : {reason}")
    permanent = False


class TemporaryFailure(TransportError):
    code = "mail_temporary_failure"
    template = N_("Le serveur d'envoi est indisponible ou a différé l'e-mail : {reason}")


class PermanentFailure(TransportError):
    code = "mail_permanent_failure"
    template = N_("Le serveur d'envoi a refusé définitivement l'e-mail : {reason}")
    permanent = True


class UnknownTemplate(MailError):
    code = "mail_unknown_template"
    template = N_("Modèle d'e-mail inconnu : {name} ({locale}).")
