"""Errors of pushed runs: opening, staging batches, committing."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError


class IngestError(SeatbridgeError):
    code = "ingest"


class RunNotFound(IngestError):
    code = "ingest.run_not_found"
    fr = "Envoi n° {run} introuvable pour cet environnement."
    en = "Push run {run} not found for this environment."


class NotAConnectorEnvironment(IngestError):
    code = "ingest.not_connector"
    fr = (
        "« {environment} » est lu directement par le serveur : il n'accepte pas d'envoi de "
        "connecteur. Passez-le en mode connecteur, ou n'utilisez pas de connecteur pour lui."
    )
    en = (
        "'{environment}' is read directly by the server: it accepts no connector push. Switch "
        "it to connector mode, or run no connector for it."
    )


class RunClosed(IngestError):
    code = "ingest.run_closed"
    fr = "L'envoi n° {run} est {status} : il n'accepte plus de lots. {detail}"
    en = "Push run {run} is {status}: it accepts no more batches. {detail}"


class RunConflict(IngestError):
    code = "ingest.run_conflict"
    fr = "L'envoi {connector_run_id} a déjà été ouvert avec d'autres paramètres."
    en = "Push {connector_run_id} was already opened with other parameters."


class InvalidBody(IngestError):
    code = "ingest.invalid_body"
    fr = "Corps de requête illisible : {detail}."
    en = "Unreadable request body: {detail}."


class InvalidBatch(IngestError):
    code = "ingest.invalid_batch"
    fr = "Lot invalide ({entity}, n° {sequence}) : {detail}."
    en = "Invalid batch ({entity}, #{sequence}): {detail}."


class PayloadTooLarge(IngestError):
    code = "ingest.payload_too_large"
    fr = "Requête trop volumineuse : {size} octets au plus ({what}). Envoyez des lots plus petits."
    en = "Request too large: at most {size} bytes ({what}). Send smaller batches."


class RunIncomplete(IngestError):
    code = "ingest.run_incomplete"
    fr = "Lots manquants, renvoyez-les avant de valider : {missing}."
    en = "Batches missing, send them before committing: {missing}."


class IngestBusy(IngestError):
    code = "ingest.busy"
    fr = "Une synchronisation de « {environment} » est en cours ; réessayez dans un instant."
    en = "A sync of '{environment}' is running; try again in a moment."


class KeysRequired(IngestError):
    """Replication needs the keys of every row of `entity` to find deletions (see commit)."""

    code = "ingest.keys_required"
    fr = "Les clés de toutes les lignes de {entity} sont nécessaires pour trouver les suppressions."
    en = "The keys of every row of {entity} are needed to find deletions."


class ApplyFailed(IngestError):
    code = "ingest.apply_failed"
    fr = "L'envoi n° {run} n'a pas pu être appliqué : {reason}"
    en = "Push run {run} could not be applied: {reason}"
