"""Errors of pushed runs: opening, staging batches, committing."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class IngestError(SeatbridgeError):
    code = "ingest"


class RunNotFound(IngestError):
    code = "ingest.run_not_found"
    template = N_("Envoi n° {run} introuvable pour cet environnement.")


class NotAConnectorEnvironment(IngestError):
    code = "ingest.not_connector"
    template = N_(
        "« {environment} » est lu directement par le serveur : il n'accepte pas d'envoi de "
        "connecteur. Passez-le en mode connecteur, ou n'utilisez pas de connecteur pour lui."
    )


class RunClosed(IngestError):
    code = "ingest.run_closed"
    template = N_("L'envoi n° {run} est {status} : il n'accepte plus de lots. {detail}")


class RunConflict(IngestError):
    code = "ingest.run_conflict"
    template = N_("L'envoi {connector_run_id} a déjà été ouvert avec d'autres paramètres.")


class InvalidBody(IngestError):
    code = "ingest.invalid_body"
    template = N_("Corps de requête illisible : {detail}.")


class InvalidBatch(IngestError):
    code = "ingest.invalid_batch"
    template = N_("Lot invalide ({entity}, n° {sequence}) : {detail}.")


class PayloadTooLarge(IngestError):
    code = "ingest.payload_too_large"
    template = N_(
        "Requête trop volumineuse : {size} octets au plus ({what}). Envoyez des lots plus petits."
    )


class RunIncomplete(IngestError):
    code = "ingest.run_incomplete"
    template = N_("Lots manquants, renvoyez-les avant de valider : {missing}.")


class IngestBusy(IngestError):
    code = "ingest.busy"
    template = N_(
        "Une synchronisation de « {environment} » est en cours ; réessayez dans un instant."
    )


class KeysRequired(IngestError):
    """Replication needs the keys of every row of `entity` to find deletions (see commit)."""

    code = "ingest.keys_required"
    template = N_(
        "Les clés de toutes les lignes de {entity} sont nécessaires pour trouver les suppressions."
    )


class ApplyFailed(IngestError):
    code = "ingest.apply_failed"
    template = N_("L'envoi n° {run} n'a pas pu être appliqué : {reason}")
