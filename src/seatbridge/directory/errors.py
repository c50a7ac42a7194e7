"""Errors of the user directory."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError


class DirectoryError(SeatbridgeError):
    code = "directory"


class UserNotFound(DirectoryError):
    code = "user_not_found"
    fr = "Utilisateur introuvable : {user}."
    en = "User not found: {user}."


class EmailAlreadyUsed(DirectoryError):
    code = "email_taken"
    fr = "L'adresse {email} est déjà celle d'un utilisateur de ce compte."
    en = "The address {email} already belongs to a user of this account."


class InvalidEmail(DirectoryError):
    code = "invalid_email"
    fr = "Adresse e-mail invalide : « {email} » ({reason})."
    en = "Invalid e-mail address: '{email}' ({reason_en})."


class InvalidTransition(DirectoryError):
    code = "invalid_transition"
    fr = "{user} est « {status} » : impossible de {action}."
    en = "{user} is '{status}': cannot {action_en}."


class ConcurrentChange(DirectoryError):
    code = "concurrent_change"
    fr = "{user} a été modifié entre-temps par quelqu'un d'autre : rechargez et réessayez."
    en = "{user} was changed by someone else in the meantime: reload and try again."


class RoleBeforeAcceptance(DirectoryError):
    code = "role_before_acceptance"
    fr = "Le rôle de {user} pourra être changé une fois son invitation acceptée."
    en = "The role of {user} can be changed once the invitation has been accepted."


class InvalidRole(DirectoryError):
    code = "invalid_role"
    fr = "Rôle inconnu : « {role} » (salesrep, manager ou admin)."
    en = "Unknown role: '{role}' (salesrep, manager or admin)."
