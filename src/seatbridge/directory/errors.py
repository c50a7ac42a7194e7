"""Errors of the user directory."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class DirectoryError(SeatbridgeError):
    code = "directory"


class UserNotFound(DirectoryError):
    code = "user_not_found"
    template = N_("Utilisateur introuvable : {user}.")


class EmailAlreadyUsed(DirectoryError):
    code = "email_taken"
    template = N_("L'adresse {email} est déjà celle d'un utilisateur de ce compte.")


class InvalidEmail(DirectoryError):
    code = "invalid_email"
    template = N_("Adresse e-mail invalide : « {email} » ({reason}).")


class InvalidTransition(DirectoryError):
    code = "invalid_transition"
    template = N_("{user} est « {status} » : impossible de {action}.")


class ConcurrentChange(DirectoryError):
    code = "concurrent_change"
    template = N_(
        "{user} a été modifié entre-temps par quelqu'un d'autre : rechargez et réessayez."
    )


class RoleBeforeAcceptance(DirectoryError):
    code = "role_before_acceptance"
    template = N_("Le rôle de {user} pourra être changé une fois son invitation acceptée.")


class InvalidRole(DirectoryError):
    code = "invalid_role"
    template = N_("Rôle inconnu : « {role} » (salesrep, manager ou admin).")
