"""Errors of the sync engine, the review queue and the Sage 100 source behind it."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class SyncError(SeatbridgeError):
    code = "sync"


class AlreadyLinked(SyncError):
    code = "already_linked"
    template = N_(
        "Le collaborateur n° {co_no} de « {environment} » (ou cet utilisateur) est déjà lié."
    )


class CollaboratorNotFound(SyncError):
    code = "collaborator_not_found"
    template = N_("Collaborateur n° {co_no} introuvable dans « {environment} ».")


class NotInvitableCollaborator(SyncError):
    code = "not_invitable"
    template = N_("{name} (n° {co_no}) ne peut pas être invité : {reason}.")


class CaseNotFound(SyncError):
    code = "case_not_found"
    template = N_("Vérification n° {case} introuvable.")


class CaseAlreadyResolved(SyncError):
    code = "case_resolved"
    template = N_("La vérification n° {case} est déjà réglée ({resolution}).")


class NotACandidate(SyncError):
    code = "not_a_candidate"
    template = N_(
        "Le collaborateur n° {co_no} n'est pas un candidat possible pour cette vérification."
    )


class SyncBlocked(SyncError):
    code = "sync_blocked"
    template = N_(
        "Synchronisation arrêtée avant toute modification : elle signalerait ou désactiverait "
        "{harmful} utilisateurs liés sur {linked} (plus de 20 %). Vérifiez Sage 100, puis "
        "confirmez (--confirm) si c'est voulu."
    )


class SyncFailed(SyncError):
    code = "sync_failed"
    template = N_("La synchronisation a échoué sans rien modifier : {reason}")


class SyncAlreadyRunning(SyncError):
    """Another holder has the environment's sync lease and is beating: it is working."""

    code = "sync_running"
    template = N_(
        "Une synchronisation de « {environment} » est en cours depuis {since} "
        "par le processus {holder}."
    )


class SyncHolderStopped(SyncAlreadyRunning):
    """The lease's holder stopped beating (killed?); the lease is taken over once it expires."""

    code = "sync_holder_stopped"
    template = N_(
        "La synchronisation de « {environment} » lancée à {since} par le processus {holder} "
        "ne répond plus : le processus précédent s'est arrêté ; reprise dans {seconds} s."
    )


class SyncLeaseLost(SyncError):
    code = "sync_lease_lost"
    template = N_(
        "La synchronisation de « {environment} » a perdu la main (pas de battement pendant "
        "{seconds} s) et s'est arrêtée ; un autre processus l'a reprise."
    )


class SourceNotDirect(SyncError):
    code = "sync_source_not_direct"
    template = N_(
        "« {environment} » est alimenté par son connecteur sur site : il ne peut pas être lu "
        "d'ici. Lancez « seatbridge connector run » près de Sage 100."
    )
