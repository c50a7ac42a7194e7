"""Errors of SCIM provisioning (each becomes a SCIM Error response with a status and scimType)."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class ScimError(SeatbridgeError):
    code = "scim"


class ScimUserNotFound(ScimError):
    code = "scim_user_not_found"
    template = N_("Utilisateur SCIM introuvable : {user}.")


class UserNameTaken(ScimError):
    code = "user_name_taken"
    template = N_("Le userName « {user_name} » est déjà celui d'un autre utilisateur de ce compte.")


class EmailTaken(ScimError):
    code = "email_taken"
    template = N_(
        "L'adresse {email} est déjà celle d'un utilisateur de ce compte (cherchez-le avec "
        'filter=emails.value eq "{email}" pour le relier).'
    )


class MissingEmail(ScimError):
    code = "email_required"
    template = N_(
        "Une adresse e-mail est obligatoire : envoyez emails (de préférence type « work ») ou un "
        "userName qui est une adresse e-mail."
    )


class InvalidUserName(ScimError):
    code = "invalid_user_name"
    template = N_("userName est obligatoire ({limit} caractères au plus).")


class InvalidAttribute(ScimError):
    code = "invalid_attribute"
    template = N_("Valeur refusée pour {attribute} : {limit} caractères au plus.")


class RequiredAttribute(ScimError):
    code = "required_attribute"
    template = N_("L'attribut {attribute} est obligatoire et ne peut pas être retiré.")


class VersionMismatch(ScimError):
    code = "version_mismatch"
    template = N_("{user} a changé depuis la version {version} : relisez-le, puis recommencez.")


class AwaitingVerification(ScimError):
    """PATCH `active: true` on a user rule 17 holds for an administrator (issue 17)."""

    code = "awaiting_verification"
    template = N_(
        "{user} attend la vérification d'un administrateur de SSM (aucun collaborateur Sage 100 "
        "ne correspond à son adresse) : le fournisseur d'identité ne peut pas l'activer. Un "
        "administrateur le laisse entrer depuis les vérifications manuelles ; il devient alors "
        "actif."
    )


class ScimGroupNotFound(ScimError):
    code = "scim_group_not_found"
    template = N_("Groupe SCIM introuvable : {group} (seuls « admins » et « managers » existent).")


class GroupExists(ScimError):
    code = "group_exists"
    template = N_("Le groupe « {group} » existe déjà : reliez-le (filter=displayName eq).")


class GroupNotKept(ScimError):
    code = "group_not_kept"
    template = N_(
        "SSM ne garde pas de groupe « {group} » : seuls « SSM Admins » et « SSM Managers » "
        "existent, et donnent leur rôle à leurs membres."
    )


class GroupNotDeletable(ScimError):
    code = "group_not_deletable"
    template = N_(
        "Le groupe « {group} » ne peut pas être supprimé : retirez-en les membres pour leur "
        "rendre le rôle de commercial."
    )


class GroupAttributeFixed(ScimError):
    code = "group_attribute_fixed"
    template = N_("Seuls les membres d'un groupe SSM peuvent changer, pas {attribute}.")
