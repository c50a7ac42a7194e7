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
    code = "sync_running"
    template = N_("Une synchronisation de « {environment} » est déjà en cours.")
