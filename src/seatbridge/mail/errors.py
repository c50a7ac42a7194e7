"""Errors of mail delivery (recorded on the outbox row, never shown to the recipient)."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError


class MailError(SeatbridgeError):
    code = "mail"


class TransportError(MailError):
    """The message could not be handed over; `permanent` says whether retrying can help."""

    code = "mail_transport"
    fr = "L'envoi de l'e-mail a échoué : {reason}"
    en = "The e-mail could not be sent: {reason}"
    permanent = False


class TemporaryFailure(TransportError):
    code = "mail_temporary_failure"
    fr = "Le serveur d'envoi est indisponible ou a différé l'e-mail : {reason}"
    en = "The mail server is unavailable or deferred the e-mail: {reason}"


class PermanentFailure(TransportError):
    code = "mail_permanent_failure"
    fr = "Le serveur d'envoi a refusé définitivement l'e-mail : {reason}"
    en = "The mail server refused the e-mail for good: {reason}"
    permanent = True


class UnknownTemplate(MailError):
    code = "mail_unknown_template"
    fr = "Modèle d'e-mail inconnu : {name} ({locale})."
    en = "Unknown e-mail template: {name} ({locale})."
