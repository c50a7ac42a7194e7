"""Errors of accounts, licences in force, environments and the seat pool."""

from __future__ import annotations

from typing import ClassVar

from seatbridge.errors import SeatbridgeError

MORE_SEATS_FR = (
    "Pour en obtenir davantage, saisissez un nouveau code d'activation "
    "(Administration > Ajouter des licences) fourni par votre revendeur."
)
MORE_SEATS_EN = (
    "To get more, enter a new activation code (Administration > Add licences) from your reseller."
)


class AccountError(SeatbridgeError):
    code: ClassVar[str] = "account"


class AccountNotFound(AccountError):
    code = "account_not_found"
    fr = "Compte introuvable : {account}."
    en = "Account not found: {account}."


class AccountAlreadyExists(AccountError):
    code = "account_exists"
    fr = "Un compte « {slug} » existe déjà."
    en = "An account '{slug}' already exists."


class InvalidAccountName(AccountError):
    code = "invalid_account_name"
    fr = (
        "Le nom du compte doit contenir au moins une lettre ou un chiffre (200 caractères au plus)."
    )
    en = "The account name needs at least one letter or digit (200 characters at most)."


class NoLicense(AccountError):
    code = "no_license"
    fr = "Aucun code d'activation n'a encore été saisi pour ce compte : saisissez-le d'abord."
    en = "No activation code has been entered for this account yet: enter it first."


class OlderCode(AccountError):
    code = "older_code"
    fr = (
        "Ce code (émis le {issued_on}) est plus ancien que le code en vigueur "
        "(émis le {current_issued_on}) : il n'a pas été appliqué."
    )
    en = (
        "This code (issued {issued_on}) is older than the code in force "
        "(issued {current_issued_on}): it was not applied."
    )


class LicenseExpired(AccountError):
    code = "license_expired"
    fr = (
        "Le code d'activation a expiré le {expires_on} : aucune invitation ni réactivation "
        "n'est possible. " + MORE_SEATS_FR.replace("en obtenir davantage", "continuer")
    )
    en = (
        "The activation code expired on {expires_on}: no invitation or re-activation is "
        "possible. " + MORE_SEATS_EN.replace("get more", "continue")
    )


class SeatLimitReached(AccountError):
    code = "seats_exhausted"
    fr = (
        "Impossible d'attribuer {requested} licence(s) : {free} licence(s) libre(s) sur "
        "{total} ({used} utilisée(s)). " + MORE_SEATS_FR
    )
    en = (
        "Cannot assign {requested} licence(s): {free} free of {total} ({used} in use). "
        + MORE_SEATS_EN
    )


class OverQuota(AccountError):
    code = "over_quota"
    fr = (
        "Le compte utilise {used} licences alors que le code en vigueur n'en prévoit que "
        "{total} : libérez-en {excess} (désactivez des utilisateurs) avant toute invitation "
        "ou réactivation. " + MORE_SEATS_FR
    )
    en = (
        "The account uses {used} licences but the code in force allows {total}: free {excess} "
        "(deactivate users) before any invitation or re-activation. " + MORE_SEATS_EN
    )


class EnvironmentSeatCapReached(AccountError):
    code = "environment_seats_exhausted"
    fr = (
        "L'environnement « {environment} » est limité à {cap} licence(s) et en utilise déjà "
        "{used} : impossible d'en attribuer {requested} de plus."
    )
    en = (
        "Environment '{environment}' is capped at {cap} licence(s) and already uses {used}: "
        "cannot assign {requested} more."
    )


class EnvironmentLimitReached(AccountError):
    code = "environment_limit"
    fr = (
        "Votre édition ({edition}) permet {limit} environnement(s) et {count} sont déjà "
        "connectés. Pour connecter une autre société Sage 100, saisissez un code d'activation "
        "de l'édition avancée."
    )
    en = (
        "Your edition ({edition}) allows {limit} environment(s) and {count} are already "
        "connected. To connect another Sage 100 company, enter an advanced-edition code."
    )


class FeatureNotInEdition(AccountError):
    code = "feature_not_in_edition"
    fr = "« {feature} » n'est disponible que dans l'édition avancée."
    en = "'{feature}' is only available in the advanced edition."


class EnvironmentNotFound(AccountError):
    code = "environment_not_found"
    fr = "Environnement introuvable : {environment}."
    en = "Environment not found: {environment}."


class EnvironmentAlreadyExists(AccountError):
    code = "environment_exists"
    fr = "Un environnement nommé « {name} » existe déjà dans ce compte."
    en = "An environment named '{name}' already exists in this account."


class InvalidEnvironment(AccountError):
    code = "invalid_environment"
    fr = "Environnement invalide : {reason}"
    en = "Invalid environment: {reason_en}"
