"""Why an activation code or a vendor key was refused, in words a customer (or the vendor) acts on.

French messages address the customer admin who pastes a code; key and issuing errors address
the vendor. Dates are ``datetime.date`` params, shown day-first in French and ISO in English.
"""

from __future__ import annotations

from typing import ClassVar

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class LicenseError(SeatbridgeError):
    """Anything wrong with an activation code, its terms or the keys that sign it."""

    code: ClassVar[str] = "license.error"
    template = N_("Le code d'activation n'a pas pu être traité.")


# --- Reading a code (customer-facing) ---------------------------------------------------------


class EmptyCode(LicenseError):
    code = "license.empty"
    template = N_(
        "Aucun code d'activation n'a été saisi. Collez le code reçu de votre fournisseur "
        "(il commence par « SB1- »)."
    )


class WrongPrefix(LicenseError):
    code = "license.wrong_prefix"
    template = N_(
        "Ce texte n'est pas un code d'activation seatbridge : un code commence par « SB1- », "
        "celui-ci commence par « {found} »."
    )


class UnsupportedVersion(LicenseError):
    code = "license.unsupported_version"
    template = N_(
        "Ce code d'activation est au format {version}, que cette version de seatbridge ne sait pas "
        "lire (elle lit le format 1). Mettez seatbridge à jour ou demandez un nouveau code à "
        "votre fournisseur."
    )


class BadCharacter(LicenseError):
    code = "license.bad_character"
    template = N_(
        "Le caractère « {character} » (position {position}) ne peut pas figurer dans un code "
        "d'activation, qui ne contient que des chiffres, des lettres (sauf U) et des tirets. "
        "Vérifiez la saisie."
    )


class TruncatedCode(LicenseError):
    code = "license.truncated"
    template = N_(
        "Le code d'activation est incomplet : il compte {found} caractères alors qu'il en faut "
        "au moins {expected} (sans le préfixe ni les tirets). Copiez-le à nouveau en entier."
    )


class CodeTooLong(LicenseError):
    code = "license.too_long"
    template = N_(
        "Le code d'activation contient des caractères en trop : {found} au lieu de {expected} "
        "(sans le préfixe ni les tirets). Vérifiez qu'il n'a pas été collé deux fois ou suivi "
        "d'un autre texte."
    )


class MistypedCode(LicenseError):
    code = "license.mistyped"
    template = N_(
        "Le code d'activation contient une faute de frappe (sa clé de contrôle ne correspond pas). "
        "Vérifiez chaque caractère, ou copiez-collez le code plutôt que de le recopier."
    )


class ForgedCode(LicenseError):
    code = "license.forged"
    template = N_(
        "Ce code d'activation a été modifié ou n'a pas été émis par votre fournisseur : sa "
        "signature n'est pas valide. Utilisez le code exact que votre fournisseur vous a envoyé."
    )


class UnknownKey(LicenseError):
    code = "license.unknown_key"
    template = N_(
        "Ce code a été signé avec la clé « {key_id} », que cette installation ne reconnaît pas. "
        "Mettez seatbridge à jour ou demandez à votre fournisseur un code signé avec une clé "
        "en vigueur."
    )


class ExpiredCode(LicenseError):
    code = "license.expired"
    template = N_(
        "Ce code d'activation a expiré le {expires_on:%d/%m/%Y} et ne peut plus être appliqué. "
        "Demandez un nouveau code à votre fournisseur."
    )


# --- Vendor keys ------------------------------------------------------------------------------


class InvalidKeyId(LicenseError):
    code = "license.invalid_key_id"
    template = N_(
        "L'identifiant de clé « {key_id} » n'est pas valide : 1 à 16 caractères parmi les "
        "lettres sans accent, les chiffres, « . », « _ » et « - »."
    )


class InvalidPublicKey(LicenseError):
    code = "license.invalid_public_key"
    template = N_(
        "La clé publique « {value} » n'est pas valide : attendu « identifiant:base64 », "
        "le base64 codant les 32 octets d'une clé Ed25519."
    )


class DuplicateKeyId(LicenseError):
    code = "license.duplicate_key_id"
    template = N_("La clé « {key_id} » est déclarée deux fois avec des valeurs différentes.")


class PublicKeysFileUnreadable(LicenseError):
    code = "license.public_keys_file_unreadable"
    template = N_("Impossible de lire le fichier de clés publiques {path} : {reason}.")


class KeyFileExists(LicenseError):
    code = "license.key_file_exists"
    template = N_(
        "Le fichier {path} existe déjà : il n'est pas écrasé (ajoutez --force pour le remplacer)."
    )


class KeyFileUnwritable(LicenseError):
    code = "license.key_file_unwritable"
    template = N_("Impossible d'écrire la clé de signature dans {path} : {reason}.")


class SigningKeyUnreadable(LicenseError):
    code = "license.signing_key_unreadable"
    template = N_("Impossible de lire la clé de signature {path} : {reason}.")


class InvalidSigningKeyFile(LicenseError):
    code = "license.invalid_signing_key_file"
    template = N_(
        "Le fichier {path} n'est pas une clé de signature seatbridge (clé Ed25519 PEM non "
        "chiffrée précédée d'une ligne « # key-id: ... »), comme en écrit « license keygen »."
    )


# --- Issuing a code (vendor-facing) -----------------------------------------------------------


class InvalidTerms(LicenseError):
    """The vendor asked for terms that no code may carry."""

    code = "license.invalid_terms"


class InvalidCustomer(InvalidTerms):
    code = "license.invalid_customer"
    template = N_(
        "Le nom du client doit compter de 1 à {maximum} caractères, sans caractère de contrôle "
        "(reçu : « {customer} »)."
    )


class InvalidEdition(InvalidTerms):
    code = "license.invalid_edition"
    template = N_("L'édition « {edition} » n'existe pas : choisissez « starter » ou « advanced ».")


class InvalidSeats(InvalidTerms):
    code = "license.invalid_seats"
    template = N_("Le nombre de licences doit être compris entre 1 et {maximum} (reçu : {seats}).")


class InvalidEnvironments(InvalidTerms):
    code = "license.invalid_environments"
    template = N_(
        "Le nombre maximal d'environnements doit être compris entre 1 et {maximum} "
        "(reçu : {max_environments})."
    )


class StarterEnvironments(InvalidTerms):
    code = "license.starter_environments"
    template = N_(
        "L'édition starter ne permet qu'un seul environnement (reçu : {max_environments}) ; "
        "choisissez l'édition advanced pour plusieurs sociétés."
    )


class InvalidValidity(InvalidTerms):
    code = "license.invalid_validity"
    template = N_(
        "La date d'expiration ({expires_on:%d/%m/%Y}) doit être postérieure à la date "
        "d'émission ({issued_on:%d/%m/%Y})."
    )


class DateOutOfRange(InvalidTerms):
    code = "license.date_out_of_range"
    template = N_(
        "La date {value:%d/%m/%Y} est hors de la période que peut porter un code "
        "(du {earliest:%d/%m/%Y} au {latest:%d/%m/%Y})."
    )


class InvalidGraceDays(InvalidTerms):
    code = "license.invalid_grace_days"
    template = N_(
        "Le délai de grâce doit être compris entre 0 et {maximum} jours (reçu : {grace_days})."
    )


class InvalidSerial(InvalidTerms):
    code = "license.invalid_serial"
    template = N_(
        "Le numéro de série « {serial} » n'est pas valide : il faut exactement 8 caractères "
        "parmi les chiffres et les lettres (sauf U)."
    )
