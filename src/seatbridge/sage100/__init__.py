"""Sage 100 FR company databases: table definitions, demo companies and a read-only reader."""

from seatbridge.sage100.connect import create_sage100_engine, database_url
from seatbridge.sage100.demo import DemoCompanySummary, make_demo_company
from seatbridge.sage100.errors import (
    DemoCompanyNotEmpty,
    DemoInvalidOption,
    DemoWriteFailed,
    Sage100ColumnMissing,
    Sage100DriverMissing,
    Sage100Error,
    Sage100InvalidUrl,
    Sage100ReadFailed,
    Sage100TableMissing,
    Sage100Timeout,
    Sage100Unreachable,
    UnknownSchemaGeneration,
)
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import (
    Collaborator,
    Customer,
    DocumentHeader,
    DocumentLine,
    Entity,
    Record,
    RowKey,
    Watermark,
)
from seatbridge.sage100.tables import GENERATIONS, TABLE_NAMES, sage100_metadata

__all__ = [
    "GENERATIONS",
    "TABLE_NAMES",
    "Collaborator",
    "Customer",
    "DemoCompanyNotEmpty",
    "DemoCompanySummary",
    "DemoInvalidOption",
    "DemoWriteFailed",
    "DocumentHeader",
    "DocumentLine",
    "Entity",
    "Record",
    "RowKey",
    "Sage100ColumnMissing",
    "Sage100DriverMissing",
    "Sage100Error",
    "Sage100InvalidUrl",
    "Sage100ReadFailed",
    "Sage100Reader",
    "Sage100TableMissing",
    "Sage100Timeout",
    "Sage100Unreachable",
    "UnknownSchemaGeneration",
    "Watermark",
    "create_sage100_engine",
    "database_url",
    "make_demo_company",
    "sage100_metadata",
]
