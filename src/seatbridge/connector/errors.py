"""Errors of the connector: the server, the network, the state file."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError


class ConnectorError(SeatbridgeError):
    code = "connector"
    # A fatal error stops a looping connector: retrying cannot help (a wrong or revoked key...).
    fatal = False


class ServerUnreachable(ConnectorError):
    code = "connector.unreachable"
    fr = "Serveur injoignable ({server}) après {attempts} tentatives : {detail}"
    en = "Server unreachable ({server}) after {attempts} attempts: {detail}"


class ServerFailed(ConnectorError):
    code = "connector.server_failed"
    fr = "Le serveur a répondu {status} après {attempts} tentatives : {detail}"
    en = "The server answered {status} after {attempts} attempts: {detail}"


class ServerRefused(ConnectorError):
    code = "connector.refused"
    fr = "Le serveur a refusé la requête ({status}) : {detail}"
    en = "The server refused the request ({status}): {detail}"

    def __init__(self, *, status: int, detail: str, problem: str | None = None) -> None:
        super().__init__(status=status, detail=detail)
        self.status = status
        self.problem = problem  # the problem's stable code, when the server gave one
        self.fatal = status in (401, 403, 404)


class UnexpectedAnswer(ConnectorError):
    code = "connector.unexpected_answer"
    fr = "Réponse inattendue du serveur ({what}) : est-ce bien un serveur seatbridge ? {detail}"
    en = "Unexpected answer from the server ({what}): is it a seatbridge server? {detail}"
    fatal = True


class StateFileError(ConnectorError):
    code = "connector.state_file"
    fr = "Fichier d'état {path} illisible ou impossible à écrire : {detail}"
    en = "State file {path} cannot be read or written: {detail}"
    fatal = True


class RunRejected(ConnectorError):
    code = "connector.run_rejected"
    fr = "L'envoi n° {run} n'a pas abouti : {detail}"
    en = "Push run {run} did not go through: {detail}"


class InvalidInterval(ConnectorError):
    code = "connector.invalid_interval"
    fr = "Intervalle invalide : « {value} » (par exemple 30s, 5m, 1h)."
    en = "Invalid interval: '{value}' (for example 30s, 5m, 1h)."
