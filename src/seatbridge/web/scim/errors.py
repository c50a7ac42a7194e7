"""Errors of SCIM provisioning (each becomes a SCIM Error response with a status and scimType)."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError


class ScimError(SeatbridgeError):
    code = "scim"


class ScimUserNotFound(ScimError):
    code = "scim_user_not_found"
    fr = "Utilisateur SCIM introuvable : {user}."
    en = "SCIM user not found: {user}."


class UserNameTaken(ScimError):
    code = "user_name_taken"
    fr = "Le userName « {user_name} » est déjà celui d'un autre utilisateur de ce compte."
    en = "The userName '{user_name}' already belongs to another user of this account."


class EmailTaken(ScimError):
    code = "email_taken"
    fr = (
        "L'adresse {email} est déjà celle d'un utilisateur de ce compte (cherchez-le avec "
        'filter=emails.value eq "{email}" pour le relier).'
    )
    en = (
        "The address {email} already belongs to a user of this account (find it with "
        'filter=emails.value eq "{email}" to match it).'
    )


class MissingEmail(ScimError):
    code = "email_required"
    fr = (
        "Une adresse e-mail est obligatoire : envoyez emails (de préférence type « work ») ou un "
        "userName qui est une adresse e-mail."
    )
    en = (
        "An e-mail address is required: send emails (preferably of type 'work') or a userName "
        "that is an e-mail address."
    )


class InvalidUserName(ScimError):
    code = "invalid_user_name"
    fr = "userName est obligatoire ({limit} caractères au plus)."
    en = "userName is required ({limit} characters at most)."


class InvalidAttribute(ScimError):
    code = "invalid_attribute"
    fr = "Valeur refusée pour {attribute} : {limit} caractères au plus."
    en = "Value refused for {attribute}: {limit} characters at most."


class RequiredAttribute(ScimError):
    code = "required_attribute"
    fr = "L'attribut {attribute} est obligatoire et ne peut pas être retiré."
    en = "The attribute {attribute} is required and cannot be removed."


class VersionMismatch(ScimError):
    code = "version_mismatch"
    fr = "{user} a changé depuis la version {version} : relisez-le, puis recommencez."
    en = "{user} changed since version {version}: read it again, then retry."
