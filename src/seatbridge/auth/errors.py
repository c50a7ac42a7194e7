"""Errors of passwords and sign-in (shown on forms, in French or English)."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class AuthError(SeatbridgeError):
    code = "auth"


class PasswordRejected(AuthError):
    """The new password does not meet the policy (docs/invitations.md)."""

    code = "password_rejected"


class PasswordTooShort(PasswordRejected):
    code = "password_too_short"
    template = N_("Le mot de passe doit contenir au moins {minimum} caractères (il en a {length}).")


class PasswordTooLong(PasswordRejected):
    code = "password_too_long"
    template = N_("Le mot de passe doit contenir au plus {maximum} caractères (il en a {length}).")


class PasswordTooCommon(PasswordRejected):
    code = "password_too_common"
    template = N_(
        "Ce mot de passe fait partie des mots de passe les plus courants ou les plus prévisibles "
        "(mot du dictionnaire suivi de chiffres, suite de touches du clavier…). Choisissez-en un "
        "autre : une phrase de plusieurs mots est facile à retenir et difficile à deviner."
    )


class PasswordTooRepetitive(PasswordRejected):
    code = "password_too_repetitive"
    template = N_(
        "Ce mot de passe répète trop peu de caractères différents : choisissez-en un plus varié."
    )


class PasswordContainsEmail(PasswordRejected):
    code = "password_contains_email"
    template = N_("Le mot de passe ne doit pas reprendre votre adresse e-mail ni son identifiant.")


class PasswordsDoNotMatch(PasswordRejected):
    code = "passwords_do_not_match"
    template = N_("Les deux mots de passe saisis sont différents.")


class SignInFailed(AuthError):
    code = "sign_in_failed"
    template = N_("Adresse e-mail ou mot de passe incorrect.")


class SignInThrottled(AuthError):
    code = "sign_in_throttled"
    template = N_(
        "Trop de tentatives de connexion : réessayez dans {seconds} s, ou utilisez « Mot de "
        "passe oublié ? »."
    )


class PasswordChecksBusy(AuthError):
    """Every argon2 slot is taken and the queue is full: refused at once, nothing counted."""

    code = "password_checks_busy"
    template = N_("Le serveur reçoit trop de connexions en ce moment : réessayez dans {seconds} s.")


class UserDisabled(AuthError):
    code = "user_disabled"
    template = N_(
        "Votre accès a été désactivé : adressez-vous à l'administrateur de votre société."
    )


class InvitationNotAccepted(AuthError):
    code = "invitation_not_accepted"
    template = N_(
        "Votre accès n'est pas encore activé : ouvrez le lien de l'e-mail d'invitation pour "
        "choisir votre mot de passe, ou demandez à votre administrateur de vous le renvoyer."
    )


class LicenseExpiredAdminsOnly(AuthError):
    code = "license_expired_admins_only"
    template = N_(
        "La licence de votre société a expiré le {expires_on} et son délai de grâce est "
        "terminé : seuls les administrateurs peuvent se connecter, pour saisir un nouveau code "
        "d'activation. Contactez votre administrateur."
    )


class ChooseAccount(AuthError):
    """The e-mail and password match users of several accounts: the person picks one."""

    code = "choose_account"
    template = N_("Votre adresse est utilisée dans plusieurs comptes : choisissez celui à ouvrir.")
