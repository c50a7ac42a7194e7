"""Errors of the connector: the server, the network, the state file."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class ConnectorError(SeatbridgeError):
    code = "connector"
    # A fatal error stops a looping connector: retrying cannot help (a wrong or revoked key...).
    fatal = False


class ServerUnreachable(ConnectorError):
    code = "connector.unreachable"
    template = N_("Serveur injoignable ({server}) après {attempts} tentatives : {detail}")


class ServerFailed(ConnectorError):
    code = "connector.server_failed"
    template = N_("Le serveur a répondu {status} après {attempts} tentatives : {detail}")


class ServerRefused(ConnectorError):
    code = "connector.refused"
    template = N_("Le serveur a refusé la requête ({status}) : {detail}")

    def __init__(self, *, status: int, detail: str, problem: str | None = None) -> None:
        super().__init__(status=status, detail=detail)
        self.status = status
        self.problem = problem  # the problem's stable code, when the server gave one
        self.fatal = status in (401, 403, 404)


class UnexpectedAnswer(ConnectorError):
    code = "connector.unexpected_answer"
    template = N_(
        "Réponse inattendue du serveur ({what}) : est-ce bien un serveur seatbridge ? {detail}"
    )
    fatal = True


class StateFileError(ConnectorError):
    code = "connector.state_file"
    template = N_("Fichier d'état {path} illisible ou impossible à écrire : {detail}")
    fatal = True


class RunRejected(ConnectorError):
    code = "connector.run_rejected"
    template = N_("L'envoi n° {run} n'a pas abouti : {detail}")


class InvalidInterval(ConnectorError):
    code = "connector.invalid_interval"
    template = N_("Intervalle invalide : « {value} » (par exemple 30s, 5m, 1h).")
