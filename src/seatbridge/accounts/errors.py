"""Errors of accounts, licences in force, environments and the seat pool."""

from __future__ import annotations

from typing import ClassVar

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class AccountError(SeatbridgeError):
    code: ClassVar[str] = "account"


class AccountNotFound(AccountError):
    code = "account_not_found"
    template = N_("Compte introuvable : {account}.")


class AccountAlreadyExists(AccountError):
    code = "account_exists"
    template = N_("Un compte « {slug} » existe déjà.")


class InvalidAccountName(AccountError):
    code = "invalid_account_name"
    template = N_(
        "Le nom du compte doit contenir au moins une lettre ou un chiffre (200 caractères au plus)."
    )


class NoLicense(AccountError):
    code = "no_license"
    template = N_(
        "Aucun code d'activation n'a encore été saisi pour ce compte : saisissez-le d'abord."
    )


class OlderCode(AccountError):
    code = "older_code"
    template = N_(
        "Ce code (émis le {issued_on}) est plus ancien que le code en vigueur "
        "(émis le {current_issued_on}) : il n'a pas été appliqué."
    )


class LicenseExpired(AccountError):
    code = "license_expired"
    template = N_(
        "Le code d'activation a expiré le {expires_on} : aucune invitation ni "
        "réactivation n'est possible. Pour continuer, saisissez un nouveau code "
        "d'activation (Administration > Ajouter des licences) fourni par votre revendeur."
    )


class SeatLimitReached(AccountError):
    code = "seats_exhausted"
    template = N_(
        "Impossible d'attribuer {requested} licence(s) : {free} licence(s) libre(s) sur "
        "{total} ({used} utilisée(s)). Pour en obtenir davantage, saisissez un nouveau "
        "code d'activation (Administration > Ajouter des licences) fourni par votre "
        "revendeur."
    )


class OverQuota(AccountError):
    code = "over_quota"
    template = N_(
        "Le compte utilise {used} licences alors que le code en vigueur n'en prévoit que "
        "{total} : libérez-en {excess} (désactivez des utilisateurs) avant toute "
        "invitation ou réactivation. Pour en obtenir davantage, saisissez un nouveau code"
        " d'activation (Administration > Ajouter des licences) fourni par votre "
        "revendeur."
    )


class EnvironmentSeatCapReached(AccountError):
    code = "environment_seats_exhausted"
    template = N_(
        "L'environnement « {environment} » est limité à {cap} licence(s) et en utilise déjà "
        "{used} : impossible d'en attribuer {requested} de plus."
    )


class EnvironmentLimitReached(AccountError):
    code = "environment_limit"
    template = N_(
        "Votre édition ({edition}) permet {limit} environnement(s) et {count} sont déjà "
        "connectés. Pour connecter une autre société Sage 100, saisissez un code d'activation "
        "de l'édition avancée."
    )


class FeatureNotInEdition(AccountError):
    code = "feature_not_in_edition"
    template = N_("« {feature} » n'est disponible que dans l'édition avancée.")


class EnvironmentNotFound(AccountError):
    code = "environment_not_found"
    template = N_("Environnement introuvable : {environment}.")


class EnvironmentAlreadyExists(AccountError):
    code = "environment_exists"
    template = N_("Un environnement nommé « {name} » existe déjà dans ce compte.")


class SourceNotAllowed(AccountError):
    """The same sentence for every reason (off, not listed, malformed, another account's), so that
    a refusal tells nothing about the server's files and network."""

    code = "source_not_allowed"
    template = N_(
        "Ce serveur n'est pas autorisé à lire cette base Sage 100 directement : reliez la société "
        "avec le connecteur seatbridge, ou demandez à l'opérateur de l'autoriser."
    )


class InvalidEnvironment(AccountError):
    code = "invalid_environment"
    template = N_("Environnement invalide : {reason}")
