"""Errors of the Sage 100 domain: reading a company database and generating demo companies.

A failed or partial read must never look like "no rows" (a sync would then flag everyone as
deleted), so every reading problem is one of these errors, never an empty result.
"""

from __future__ import annotations

from typing import ClassVar

from seatbridge.errors import SeatbridgeError


class Sage100Error(SeatbridgeError):
    """Base of the Sage 100 errors."""

    code: ClassVar[str] = "sage100.error"
    fr: ClassVar[str] = "Erreur de lecture de la base Sage 100."
    en: ClassVar[str] = "Sage 100 database error."


class Sage100InvalidUrl(Sage100Error):
    code: ClassVar[str] = "sage100.invalid_url"
    fr: ClassVar[str] = "Adresse de base de données invalide : {url!r} ({detail})."
    en: ClassVar[str] = "Invalid database address: {url!r} ({detail})."


class Sage100DriverMissing(Sage100Error):
    code: ClassVar[str] = "sage100.driver_missing"
    fr: ClassVar[str] = (
        "Le pilote de base de données {driver} n'est pas installé ({detail}) ; "
        "pour SQL Server, installez pymssql (extra « mssql » de seatbridge)."
    )
    en: ClassVar[str] = (
        "The database driver {driver} is not installed ({detail}); "
        "for SQL Server, install pymssql (seatbridge's « mssql » extra)."
    )


class Sage100Unreachable(Sage100Error):
    code: ClassVar[str] = "sage100.unreachable"
    fr: ClassVar[str] = "Impossible de se connecter à la base Sage 100 {location} : {detail}"
    en: ClassVar[str] = "Cannot connect to the Sage 100 database {location}: {detail}"


class Sage100Timeout(Sage100Error):
    code: ClassVar[str] = "sage100.timeout"
    fr: ClassVar[str] = (
        "La base Sage 100 {location} n'a pas répondu à temps (délai : {seconds} s) "
        "en lisant {table} : {detail}"
    )
    en: ClassVar[str] = (
        "The Sage 100 database {location} did not answer in time (timeout: {seconds} s) "
        "while reading {table}: {detail}"
    )


class Sage100TableMissing(Sage100Error):
    code: ClassVar[str] = "sage100.table_missing"
    fr: ClassVar[str] = (
        "La table {table} est introuvable dans la base Sage 100 {location} : "
        "est-ce bien une société Sage 100 Gestion commerciale ?"
    )
    en: ClassVar[str] = (
        "Table {table} is missing from the Sage 100 database {location}: "
        "is this a Sage 100 commercial company?"
    )


class Sage100ColumnMissing(Sage100Error):
    code: ClassVar[str] = "sage100.column_missing"
    fr: ClassVar[str] = (
        "La colonne {column} est introuvable dans la table {table} de la base Sage 100 {location}."
    )
    en: ClassVar[str] = (
        "Column {column} is missing from table {table} of the Sage 100 database {location}."
    )


class Sage100ReadFailed(Sage100Error):
    code: ClassVar[str] = "sage100.read_failed"
    fr: ClassVar[str] = "La lecture de {table} dans la base Sage 100 {location} a échoué : {detail}"
    en: ClassVar[str] = "Reading {table} from the Sage 100 database {location} failed: {detail}"


class UnknownSchemaGeneration(Sage100Error):
    code: ClassVar[str] = "sage100.unknown_schema"
    fr: ClassVar[str] = (
        "Génération de schéma Sage 100 inconnue : {schema!r} (attendu : {expected})."
    )
    en: ClassVar[str] = "Unknown Sage 100 schema generation: {schema!r} (expected: {expected})."


class DemoInvalidOption(Sage100Error):
    code: ClassVar[str] = "sage100.demo_invalid_option"
    fr: ClassVar[str] = "Valeur invalide pour {option} : {value!r} ({reason_fr})."
    en: ClassVar[str] = "Invalid value for {option}: {value!r} ({reason_en})."


class DemoCompanyNotEmpty(Sage100Error):
    code: ClassVar[str] = "sage100.demo_not_empty"
    fr: ClassVar[str] = (
        "La base {location} contient déjà des données Sage 100 ({tables}) : rien n'a été modifié. "
        "Demandez le remplacement (--replace) pour les effacer et recréer la société."
    )
    en: ClassVar[str] = (
        "The database {location} already holds Sage 100 data ({tables}): nothing was changed. "
        "Ask for replacement (--replace) to erase it and create the company again."
    )


class DemoWriteFailed(Sage100Error):
    code: ClassVar[str] = "sage100.demo_write_failed"
    fr: ClassVar[str] = (
        "L'écriture de la société de démonstration dans {location} a échoué : {detail}"
    )
    en: ClassVar[str] = "Writing the demo company into {location} failed: {detail}"
