"""Errors of the Sage 100 domain: reading a company database and generating demo companies.

A failed or partial read must never look like "no rows" (a sync would then flag everyone as
deleted), so every reading problem is one of these errors, never an empty result.
"""

from __future__ import annotations

from typing import ClassVar

from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_


class Sage100Error(SeatbridgeError):
    """Base of the Sage 100 errors."""

    code: ClassVar[str] = "sage100.error"
    template = N_("Erreur de lecture de la base Sage 100.")


class Sage100InvalidUrl(Sage100Error):
    code: ClassVar[str] = "sage100.invalid_url"
    template = N_("Adresse de base de données invalide : {url!r} ({detail}).")


class Sage100DriverMissing(Sage100Error):
    code: ClassVar[str] = "sage100.driver_missing"
    template = N_(
        "Le pilote de base de données {driver} n'est pas installé ({detail}) ; "
        "pour SQL Server, installez pymssql (extra « mssql » de seatbridge)."
    )


class Sage100Unreachable(Sage100Error):
    code: ClassVar[str] = "sage100.unreachable"
    template = N_("Impossible de se connecter à la base Sage 100 {location} : {detail}")


class Sage100Timeout(Sage100Error):
    code: ClassVar[str] = "sage100.timeout"
    template = N_(
        "La base Sage 100 {location} n'a pas répondu à temps (délai : {seconds} s) "
        "en lisant {table} : {detail}"
    )


class Sage100TableMissing(Sage100Error):
    code: ClassVar[str] = "sage100.table_missing"
    template = N_(
        "La table {table} est introuvable dans la base Sage 100 {location} : "
        "est-ce bien une société Sage 100 Gestion commerciale ?"
    )


class Sage100ColumnMissing(Sage100Error):
    code: ClassVar[str] = "sage100.column_missing"
    template = N_(
        "La colonne {column} est introuvable dans la table {table} de la base Sage 100 {location}."
    )


class Sage100ReadFailed(Sage100Error):
    code: ClassVar[str] = "sage100.read_failed"
    template = N_("La lecture de {table} dans la base Sage 100 {location} a échoué : {detail}")


class UnknownSchemaGeneration(Sage100Error):
    code: ClassVar[str] = "sage100.unknown_schema"
    template = N_("Génération de schéma Sage 100 inconnue : {schema!r} (attendu : {expected}).")


class DemoInvalidOption(Sage100Error):
    code: ClassVar[str] = "sage100.demo_invalid_option"
    template = N_("Valeur invalide pour {option} : {value!r} ({reason}).")


class DemoCompanyNotEmpty(Sage100Error):
    code: ClassVar[str] = "sage100.demo_not_empty"
    template = N_(
        "La base {location} contient déjà des données Sage 100 ({tables}) : rien n'a été modifié. "
        "Demandez le remplacement (--replace) pour les effacer et recréer la société."
    )


class DemoWriteFailed(Sage100Error):
    code: ClassVar[str] = "sage100.demo_write_failed"
    template = N_("L'écriture de la société de démonstration dans {location} a échoué : {detail}")
