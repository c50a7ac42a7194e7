"""Why an activation code or a vendor key was refused, in words a customer (or the vendor) acts on.

French messages address the customer admin who pastes a code; key and issuing errors address
the vendor. Dates are ``datetime.date`` params, shown day-first in French and ISO in English.
"""

from __future__ import annotations

from typing import ClassVar

from seatbridge.errors import SeatbridgeError


class LicenseError(SeatbridgeError):
    """Anything wrong with an activation code, its terms or the keys that sign it."""

    code: ClassVar[str] = "license.error"
    fr: ClassVar[str] = "Le code d'activation n'a pas pu être traité."
    en: ClassVar[str] = "The activation code could not be processed."


# --- Reading a code (customer-facing) ---------------------------------------------------------


class EmptyCode(LicenseError):
    code = "license.empty"
    fr = (
        "Aucun code d'activation n'a été saisi. Collez le code reçu de votre fournisseur "
        "(il commence par « SB1- »)."
    )
    en = "No activation code was entered. Paste the code from your vendor (it starts with SB1-)."


class WrongPrefix(LicenseError):
    code = "license.wrong_prefix"
    fr = (
        "Ce texte n'est pas un code d'activation seatbridge : un code commence par « SB1- », "
        "celui-ci commence par « {found} »."
    )
    en = "This is not a seatbridge activation code: codes start with SB1-, this one with {found!r}."


class UnsupportedVersion(LicenseError):
    code = "license.unsupported_version"
    fr = (
        "Ce code d'activation est au format {version}, que cette version de seatbridge ne sait pas "
        "lire (elle lit le format 1). Mettez seatbridge à jour ou demandez un nouveau code à "
        "votre fournisseur."
    )
    en = (
        "This activation code uses format {version}, which this version of seatbridge cannot read "
        "(it reads format 1). Update seatbridge or ask your vendor for a new code."
    )


class BadCharacter(LicenseError):
    code = "license.bad_character"
    fr = (
        "Le caractère « {character} » (position {position}) ne peut pas figurer dans un code "
        "d'activation, qui ne contient que des chiffres, des lettres (sauf U) et des tirets. "
        "Vérifiez la saisie."
    )
    en = (
        "The character {character!r} (position {position}) cannot appear in an activation code, "
        "which only holds digits, letters (except U) and dashes. Check what was typed."
    )


class TruncatedCode(LicenseError):
    code = "license.truncated"
    fr = (
        "Le code d'activation est incomplet : il compte {found} caractères alors qu'il en faut "
        "au moins {expected} (sans le préfixe ni les tirets). Copiez-le à nouveau en entier."
    )
    en = (
        "The activation code is incomplete: it has {found} characters but needs at least "
        "{expected} (not counting the prefix and dashes). Copy it again in full."
    )


class CodeTooLong(LicenseError):
    code = "license.too_long"
    fr = (
        "Le code d'activation contient des caractères en trop : {found} au lieu de {expected} "
        "(sans le préfixe ni les tirets). Vérifiez qu'il n'a pas été collé deux fois ou suivi "
        "d'un autre texte."
    )
    en = (
        "The activation code has extra characters: {found} instead of {expected} (not counting "
        "the prefix and dashes). Check it was not pasted twice or followed by other text."
    )


class MistypedCode(LicenseError):
    code = "license.mistyped"
    fr = (
        "Le code d'activation contient une faute de frappe (sa clé de contrôle ne correspond pas). "
        "Vérifiez chaque caractère, ou copiez-collez le code plutôt que de le recopier."
    )
    en = (
        "The activation code has a typing mistake (its check digits do not match). Check each "
        "character, or copy and paste the code instead of retyping it."
    )


class ForgedCode(LicenseError):
    code = "license.forged"
    fr = (
        "Ce code d'activation a été modifié ou n'a pas été émis par votre fournisseur : sa "
        "signature n'est pas valide. Utilisez le code exact que votre fournisseur vous a envoyé."
    )
    en = (
        "This activation code was altered or not issued by your vendor: its signature is not "
        "valid. Use the exact code your vendor sent you."
    )


class UnknownKey(LicenseError):
    code = "license.unknown_key"
    fr = (
        "Ce code a été signé avec la clé « {key_id} », que cette installation ne reconnaît pas. "
        "Mettez seatbridge à jour ou demandez à votre fournisseur un code signé avec une clé "
        "en vigueur."
    )
    en = (
        "This code was signed with key {key_id!r}, which this installation does not trust. "
        "Update seatbridge or ask your vendor for a code signed with a current key."
    )


class ExpiredCode(LicenseError):
    code = "license.expired"
    fr = (
        "Ce code d'activation a expiré le {expires_on:%d/%m/%Y} et ne peut plus être appliqué. "
        "Demandez un nouveau code à votre fournisseur."
    )
    en = (
        "This activation code expired on {expires_on:%Y-%m-%d} and can no longer be applied. "
        "Ask your vendor for a new code."
    )


# --- Vendor keys ------------------------------------------------------------------------------


class InvalidKeyId(LicenseError):
    code = "license.invalid_key_id"
    fr = (
        "L'identifiant de clé « {key_id} » n'est pas valide : 1 à 16 caractères parmi les "
        "lettres sans accent, les chiffres, « . », « _ » et « - »."
    )
    en = (
        "The key id {key_id!r} is not valid: use 1 to 16 characters among unaccented letters, "
        "digits, '.', '_' and '-'."
    )


class InvalidPublicKey(LicenseError):
    code = "license.invalid_public_key"
    fr = (
        "La clé publique « {value} » n'est pas valide : attendu « identifiant:base64 », "
        "le base64 codant les 32 octets d'une clé Ed25519."
    )
    en = (
        "The public key {value!r} is not valid: expected 'key-id:base64', the base64 holding "
        "the 32 bytes of an Ed25519 key."
    )


class DuplicateKeyId(LicenseError):
    code = "license.duplicate_key_id"
    fr = "La clé « {key_id} » est déclarée deux fois avec des valeurs différentes."
    en = "Key {key_id!r} is declared twice with different values."


class PublicKeysFileUnreadable(LicenseError):
    code = "license.public_keys_file_unreadable"
    fr = "Impossible de lire le fichier de clés publiques {path} : {reason}."
    en = "Cannot read the public keys file {path}: {reason}."


class KeyFileExists(LicenseError):
    code = "license.key_file_exists"
    fr = "Le fichier {path} existe déjà : il n'est pas écrasé (ajoutez --force pour le remplacer)."
    en = "The file {path} already exists and was not overwritten (add --force to replace it)."


class KeyFileUnwritable(LicenseError):
    code = "license.key_file_unwritable"
    fr = "Impossible d'écrire la clé de signature dans {path} : {reason}."
    en = "Cannot write the signing key to {path}: {reason}."


class SigningKeyUnreadable(LicenseError):
    code = "license.signing_key_unreadable"
    fr = "Impossible de lire la clé de signature {path} : {reason}."
    en = "Cannot read the signing key {path}: {reason}."


class InvalidSigningKeyFile(LicenseError):
    code = "license.invalid_signing_key_file"
    fr = (
        "Le fichier {path} n'est pas une clé de signature seatbridge (clé Ed25519 PEM non "
        "chiffrée précédée d'une ligne « # key-id: ... »), comme en écrit « license keygen »."
    )
    en = (
        "The file {path} is not a seatbridge signing key (an unencrypted Ed25519 PEM key after "
        "a '# key-id: ...' line), as written by 'license keygen'."
    )


# --- Issuing a code (vendor-facing) -----------------------------------------------------------


class InvalidTerms(LicenseError):
    """The vendor asked for terms that no code may carry."""

    code = "license.invalid_terms"


class InvalidCustomer(InvalidTerms):
    code = "license.invalid_customer"
    fr = (
        "Le nom du client doit compter de 1 à {maximum} caractères, sans caractère de contrôle "
        "(reçu : « {customer} »)."
    )
    en = (
        "The customer name must have 1 to {maximum} characters and no control character "
        "(got {customer!r})."
    )


class InvalidEdition(InvalidTerms):
    code = "license.invalid_edition"
    fr = "L'édition « {edition} » n'existe pas : choisissez « starter » ou « advanced »."
    en = "There is no edition {edition!r}: choose 'starter' or 'advanced'."


class InvalidSeats(InvalidTerms):
    code = "license.invalid_seats"
    fr = "Le nombre de licences doit être compris entre 1 et {maximum} (reçu : {seats})."
    en = "The number of seats must be between 1 and {maximum} (got {seats})."


class InvalidEnvironments(InvalidTerms):
    code = "license.invalid_environments"
    fr = (
        "Le nombre maximal d'environnements doit être compris entre 1 et {maximum} "
        "(reçu : {max_environments})."
    )
    en = "The maximum of environments must be between 1 and {maximum} (got {max_environments})."


class StarterEnvironments(InvalidTerms):
    code = "license.starter_environments"
    fr = (
        "L'édition starter ne permet qu'un seul environnement (reçu : {max_environments}) ; "
        "choisissez l'édition advanced pour plusieurs sociétés."
    )
    en = (
        "The starter edition allows a single environment (got {max_environments}); choose the "
        "advanced edition for several companies."
    )


class InvalidValidity(InvalidTerms):
    code = "license.invalid_validity"
    fr = (
        "La date d'expiration ({expires_on:%d/%m/%Y}) doit être postérieure à la date "
        "d'émission ({issued_on:%d/%m/%Y})."
    )
    en = "The expiry date ({expires_on}) must be after the issue date ({issued_on})."


class DateOutOfRange(InvalidTerms):
    code = "license.date_out_of_range"
    fr = (
        "La date {value:%d/%m/%Y} est hors de la période que peut porter un code "
        "(du {earliest:%d/%m/%Y} au {latest:%d/%m/%Y})."
    )
    en = "The date {value} is outside what a code can carry ({earliest} to {latest})."


class InvalidGraceDays(InvalidTerms):
    code = "license.invalid_grace_days"
    fr = "Le délai de grâce doit être compris entre 0 et {maximum} jours (reçu : {grace_days})."
    en = "The grace period must be between 0 and {maximum} days (got {grace_days})."


class InvalidSerial(InvalidTerms):
    code = "license.invalid_serial"
    fr = (
        "Le numéro de série « {serial} » n'est pas valide : il faut exactement 8 caractères "
        "parmi les chiffres et les lettres (sauf U)."
    )
    en = (
        "The serial {serial!r} is not valid: it needs exactly 8 characters among digits and "
        "letters (except U)."
    )
