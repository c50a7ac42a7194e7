"""Errors of passwords and sign-in (shown on forms, in French or English)."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError


class AuthError(SeatbridgeError):
    code = "auth"


class PasswordRejected(AuthError):
    """The new password does not meet the policy (docs/invitations.md)."""

    code = "password_rejected"


class PasswordTooShort(PasswordRejected):
    code = "password_too_short"
    fr = "Le mot de passe doit contenir au moins {minimum} caractères (il en a {length})."
    en = "The password must be at least {minimum} characters long (it has {length})."


class PasswordTooLong(PasswordRejected):
    code = "password_too_long"
    fr = "Le mot de passe doit contenir au plus {maximum} caractères (il en a {length})."
    en = "The password must be at most {maximum} characters long (it has {length})."


class PasswordTooCommon(PasswordRejected):
    code = "password_too_common"
    fr = (
        "Ce mot de passe fait partie des mots de passe les plus courants ou les plus prévisibles "
        "(mot du dictionnaire suivi de chiffres, suite de touches du clavier…). Choisissez-en un "
        "autre : une phrase de plusieurs mots est facile à retenir et difficile à deviner."
    )
    en = (
        "This password is one of the most common or predictable ones (a dictionary word "
        "followed by digits, a run of keyboard keys…). Choose another: a phrase of several "
        "words is easy to remember and hard to guess."
    )


class PasswordTooRepetitive(PasswordRejected):
    code = "password_too_repetitive"
    fr = "Ce mot de passe répète trop peu de caractères différents : choisissez-en un plus varié."
    en = "This password repeats too few different characters: choose a more varied one."


class PasswordContainsEmail(PasswordRejected):
    code = "password_contains_email"
    fr = "Le mot de passe ne doit pas reprendre votre adresse e-mail ni son identifiant."
    en = "The password must not repeat your e-mail address or its user name."


class PasswordsDoNotMatch(PasswordRejected):
    code = "passwords_do_not_match"
    fr = "Les deux mots de passe saisis sont différents."
    en = "The two passwords you typed are different."


class SignInFailed(AuthError):
    code = "sign_in_failed"
    fr = "Adresse e-mail ou mot de passe incorrect."
    en = "Incorrect e-mail address or password."


class SignInThrottled(AuthError):
    code = "sign_in_throttled"
    fr = (
        "Trop de tentatives de connexion échouées : réessayez dans {minutes} minute(s), ou "
        "utilisez « Mot de passe oublié ? »."
    )
    en = (
        "Too many failed sign-in attempts: try again in {minutes} minute(s), or use "
        '"Forgot your password?".'
    )


class UserDisabled(AuthError):
    code = "user_disabled"
    fr = "Votre accès a été désactivé : adressez-vous à l'administrateur de votre société."
    en = "Your access has been disabled: contact your company's administrator."


class InvitationNotAccepted(AuthError):
    code = "invitation_not_accepted"
    fr = (
        "Votre accès n'est pas encore activé : ouvrez le lien de l'e-mail d'invitation pour "
        "choisir votre mot de passe, ou demandez à votre administrateur de vous le renvoyer."
    )
    en = (
        "Your access is not activated yet: open the link in the invitation e-mail to choose "
        "your password, or ask your administrator to send it again."
    )


class LicenseExpiredAdminsOnly(AuthError):
    code = "license_expired_admins_only"
    fr = (
        "La licence de votre société a expiré le {expires_on} et son délai de grâce est "
        "terminé : seuls les administrateurs peuvent se connecter, pour saisir un nouveau code "
        "d'activation. Contactez votre administrateur."
    )
    en = (
        "Your company's licence expired on {expires_on} and its grace period is over: only "
        "administrators can sign in, to enter a new activation code. Contact your administrator."
    )


class ChooseAccount(AuthError):
    """The e-mail and password match users of several accounts: the person picks one."""

    code = "choose_account"
    fr = "Votre adresse est utilisée dans plusieurs comptes : choisissez celui à ouvrir."
    en = "Your address is used in several accounts: choose the one to open."
