"""Errors of the sync engine, the review queue and the Sage 100 source behind it."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError


class SyncError(SeatbridgeError):
    code = "sync"


class AlreadyLinked(SyncError):
    code = "already_linked"
    fr = "Le collaborateur n° {co_no} de « {environment} » (ou cet utilisateur) est déjà lié."
    en = "Collaborator {co_no} of '{environment}' (or this user) is already linked."


class CollaboratorNotFound(SyncError):
    code = "collaborator_not_found"
    fr = "Collaborateur n° {co_no} introuvable dans « {environment} »."
    en = "Collaborator {co_no} not found in '{environment}'."


class NotInvitableCollaborator(SyncError):
    code = "not_invitable"
    fr = "{name} (n° {co_no}) ne peut pas être invité : {reason}."
    en = "{name} ({co_no}) cannot be invited: {reason}."


class CaseNotFound(SyncError):
    code = "case_not_found"
    fr = "Vérification n° {case} introuvable."
    en = "Review case {case} not found."


class CaseAlreadyResolved(SyncError):
    code = "case_resolved"
    fr = "La vérification n° {case} est déjà réglée ({resolution})."
    en = "Review case {case} is already resolved ({resolution})."


class NotACandidate(SyncError):
    code = "not_a_candidate"
    fr = "Le collaborateur n° {co_no} n'est pas un candidat possible pour cette vérification."
    en = "Collaborator {co_no} is not a possible candidate for this review case."


class SyncBlocked(SyncError):
    code = "sync_blocked"
    fr = (
        "Synchronisation arrêtée avant toute modification : elle signalerait ou désactiverait "
        "{harmful} utilisateurs liés sur {linked} (plus de 20 %). Vérifiez Sage 100, puis "
        "confirmez (--confirm) si c'est voulu."
    )
    en = (
        "Sync stopped before changing anything: it would flag or deactivate {harmful} of "
        "{linked} linked users (over 20%). Check Sage 100, then confirm (--confirm) if intended."
    )


class SyncFailed(SyncError):
    code = "sync_failed"
    fr = "La synchronisation a échoué sans rien modifier : {reason}"
    en = "The sync failed and changed nothing: {reason}"


class SyncAlreadyRunning(SyncError):
    code = "sync_running"
    fr = "Une synchronisation de « {environment} » est déjà en cours."
    en = "A sync of '{environment}' is already running."
