"""Errors of invitations and password links; each says what to do next."""

from __future__ import annotations

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class InvitationError(SeatbridgeError):
    code = "invitation"


class LinkError(InvitationError):
    """A link that cannot set a password (opened or submitted)."""

    code = "link"


class LinkUnknown(LinkError):
    code = "link_unknown"
    template = N_(
        "Ce lien n'est pas valide : il est incomplet (copiez-le en entier depuis "
        "l'e-mail) ou n'existe pas. Si vous avez été invité, demandez à votre "
        "administrateur de vous renvoyer une invitation. Sinon, demandez un nouveau lien "
        "depuis la page « Mot de passe oublié ? »."
    )


class InvitationExpired(LinkError):
    code = "invitation_expired"
    template = N_(
        "Ce lien d'invitation a expiré le {expired_at}. Demandez à votre administrateur "
        "de vous renvoyer une invitation."
    )


class ResetLinkExpired(LinkError):
    code = "reset_link_expired"
    template = N_(
        "Ce lien de nouveau mot de passe a expiré le {expired_at}. Demandez un nouveau "
        "lien depuis la page « Mot de passe oublié ? »."
    )


class InvitationUsed(LinkError):
    code = "invitation_used"
    template = N_(
        "Ce lien d'invitation a déjà servi : votre mot de passe est choisi. Connectez-vous avec "
        "votre adresse e-mail, ou utilisez « Mot de passe oublié ? » si vous ne l'avez plus."
    )


class ResetLinkUsed(LinkError):
    code = "reset_link_used"
    template = N_(
        "Ce lien a déjà servi à choisir un mot de passe. Demandez un nouveau lien depuis "
        "la page « Mot de passe oublié ? »."
    )


class InvitationReplaced(LinkError):
    code = "invitation_replaced"
    template = N_(
        "Ce lien d'invitation a été annulé ou remplacé par un envoi plus récent : "
        "utilisez le dernier e-mail reçu. Sinon, demandez à votre administrateur de vous "
        "renvoyer une invitation."
    )


class ResetLinkReplaced(LinkError):
    code = "reset_link_replaced"
    template = N_(
        "Ce lien a été remplacé par un lien plus récent : utilisez le dernier e-mail "
        "reçu. Sinon, demandez un nouveau lien depuis la page « Mot de passe oublié ? »."
    )


class LinkUserDisabled(LinkError):
    code = "link_user_disabled"
    template = N_(
        "Votre accès a été désactivé : ce lien ne peut plus servir. Adressez-vous à "
        "l'administrateur de votre société."
    )


class NotInvited(InvitationError):
    code = "not_invited"
    template = N_(
        "{user} n'est pas en attente d'invitation (statut « {status} ») : {action} impossible."
    )


class NoPasswordLink(InvitationError):
    code = "no_password_link"
    template = N_(
        "Impossible d'envoyer un lien de mot de passe à {user} (statut « {status} ») : seuls "
        "les utilisateurs invités ou actifs en reçoivent un."
    )
