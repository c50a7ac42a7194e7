"""Errors of invitations and password links; each says what to do next."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError

ASK_ADMIN_FR = "Demandez à votre administrateur de vous renvoyer une invitation."
ASK_ADMIN_EN = "Ask your administrator to send you a new invitation."
ASK_RESET_FR = "Demandez un nouveau lien depuis la page « Mot de passe oublié ? »."
ASK_RESET_EN = 'Ask for a new link from the "Forgot your password?" page.'


class InvitationError(SeatbridgeError):
    code = "invitation"


class LinkError(InvitationError):
    """A link that cannot set a password (opened or submitted)."""

    code = "link"


class LinkUnknown(LinkError):
    code = "link_unknown"
    fr = (
        "Ce lien n'est pas valide : il est incomplet (copiez-le en entier depuis l'e-mail) ou "
        "n'existe pas. Si vous avez été invité, "
        + ASK_ADMIN_FR[0].lower()
        + ASK_ADMIN_FR[1:]
        + " Sinon, "
        + ASK_RESET_FR[0].lower()
        + ASK_RESET_FR[1:]
    )
    en = (
        "This link is not valid: it is incomplete (copy all of it from the e-mail) or does not "
        "exist. If you were invited, "
        + ASK_ADMIN_EN[0].lower()
        + ASK_ADMIN_EN[1:]
        + " Otherwise, "
        + ASK_RESET_EN[0].lower()
        + ASK_RESET_EN[1:]
    )


class InvitationExpired(LinkError):
    code = "invitation_expired"
    fr = "Ce lien d'invitation a expiré le {expired_at}. " + ASK_ADMIN_FR
    en = "This invitation link expired on {expired_at}. " + ASK_ADMIN_EN


class ResetLinkExpired(LinkError):
    code = "reset_link_expired"
    fr = "Ce lien de nouveau mot de passe a expiré le {expired_at}. " + ASK_RESET_FR
    en = "This password link expired on {expired_at}. " + ASK_RESET_EN


class InvitationUsed(LinkError):
    code = "invitation_used"
    fr = (
        "Ce lien d'invitation a déjà servi : votre mot de passe est choisi. Connectez-vous avec "
        "votre adresse e-mail, ou utilisez « Mot de passe oublié ? » si vous ne l'avez plus."
    )
    en = (
        "This invitation link has already been used: your password is set. Sign in with your "
        'e-mail address, or use "Forgot your password?" if you no longer know it.'
    )


class ResetLinkUsed(LinkError):
    code = "reset_link_used"
    fr = "Ce lien a déjà servi à choisir un mot de passe. " + ASK_RESET_FR
    en = "This link has already been used to choose a password. " + ASK_RESET_EN


class InvitationReplaced(LinkError):
    code = "invitation_replaced"
    fr = (
        "Ce lien d'invitation a été annulé ou remplacé par un envoi plus récent : utilisez le "
        "dernier e-mail reçu. " + ASK_ADMIN_FR.replace("Demandez", "Sinon, demandez")
    )
    en = (
        "This invitation link was cancelled or replaced by a newer e-mail: use the latest one "
        "you received. " + ASK_ADMIN_EN.replace("Ask", "Otherwise, ask")
    )


class ResetLinkReplaced(LinkError):
    code = "reset_link_replaced"
    fr = (
        "Ce lien a été remplacé par un lien plus récent : utilisez le dernier e-mail reçu. "
        + ASK_RESET_FR.replace("Demandez", "Sinon, demandez")
    )
    en = (
        "This link was replaced by a newer one: use the latest e-mail you received. "
        + ASK_RESET_EN.replace("Ask", "Otherwise, ask")
    )


class LinkUserDisabled(LinkError):
    code = "link_user_disabled"
    fr = (
        "Votre accès a été désactivé : ce lien ne peut plus servir. Adressez-vous à "
        "l'administrateur de votre société."
    )
    en = (
        "Your access has been disabled: this link can no longer be used. Contact your "
        "company's administrator."
    )


class NotInvited(InvitationError):
    code = "not_invited"
    fr = "{user} n'est pas en attente d'invitation (statut « {status} ») : {action} impossible."
    en = "{user} is not waiting for an invitation (status '{status}'): cannot {action_en}."


class NoPasswordLink(InvitationError):
    code = "no_password_link"
    fr = (
        "Impossible d'envoyer un lien de mot de passe à {user} (statut « {status} ») : seuls "
        "les utilisateurs invités ou actifs en reçoivent un."
    )
    en = (
        "Cannot send a password link to {user} (status '{status}'): only invited or active "
        "users receive one."
    )
