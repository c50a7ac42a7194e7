"""The Sage 100 table definitions: both generations, on every database we create demos in."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.dialects import mssql
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import CreateTable

from seatbridge.db import metadata as store_metadata
from seatbridge.sage100.errors import UnknownSchemaGeneration
from seatbridge.sage100.tables import GENERATIONS, TABLE_NAMES, sage100_metadata
from tests.support.databases import fresh_mariadb_database, fresh_pg_database

RECENT_ONLY = {
    "F_COLLABORATEUR": {"cbCreation", "cbCreationUser", "CO_Matricule", "CO_Financier",
                        "CO_Transmission", "CO_Facebook", "CO_LinkedIn", "CO_Skype", "CO_Sommeil"},
    "F_DOCENTETE": {"DO_TotalHT", "DO_TotalTTC", "DO_NetAPayer", "cbHash", "cbCreation"},
    "F_DOCLIGNE": {"cbHash", "cbHashDate", "cbCreation"},
}  # fmt: skip

MSSQL: Dialect = mssql.dialect()  # type: ignore[no-untyped-call]


def _create_and_inspect(url: str, schema: str) -> dict[str, set[str]]:
    engine = create_engine(url)
    try:
        sage100_metadata(schema).create_all(engine)
        inspector = inspect(engine)
        return {name: {c["name"] for c in inspector.get_columns(name)} for name in TABLE_NAMES}
    finally:
        engine.dispose()


class TestDefinitions:
    def test_four_tables_on_their_own_metadata(self) -> None:
        metadata = sage100_metadata()
        assert set(metadata.tables) == set(TABLE_NAMES)
        assert metadata is not store_metadata
        assert not set(store_metadata.tables) & set(TABLE_NAMES)

    def test_real_spellings_and_types(self) -> None:
        tables = sage100_metadata("recent").tables
        collaborators = tables["F_COLLABORATEUR"]
        assert "CO_EMail" in collaborators.c and "CO_Email" not in collaborators.c
        assert collaborators.c.CO_EMail.type.length == 69  # type: ignore[attr-defined]
        assert tables["F_DOCENTETE"].c.DO_Piece.type.length == 13  # type: ignore[attr-defined]
        assert tables["F_COMPTET"].c.CT_Intitule.type.length == 69  # type: ignore[attr-defined]
        amount = tables["F_DOCLIGNE"].c.DL_MontantHT.type
        assert (amount.precision, amount.scale) == (24, 6)  # type: ignore[attr-defined]
        for table in tables.values():
            assert [c.name for c in table.primary_key.columns] == ["cbMarq"]
            assert {"cbProt", "cbCreateur", "cbModification", "cbReplication", "cbFlag"} <= set(
                table.c.keys()
            )

    def test_older_generation_differs(self) -> None:
        recent = sage100_metadata("recent").tables
        older = sage100_metadata("older").tables
        for name, columns in RECENT_ONLY.items():
            assert columns <= set(recent[name].c.keys())
            assert not columns & set(older[name].c.keys())
        assert "CO_DateCreation" in older["F_COLLABORATEUR"].c
        assert "CO_DateCreation" not in recent["F_COLLABORATEUR"].c
        assert older["F_DOCENTETE"].c.DO_Piece.type.length == 9  # type: ignore[attr-defined]
        assert older["F_COMPTET"].c.CT_Intitule.type.length == 35  # type: ignore[attr-defined]

    def test_unknown_generation(self) -> None:
        with pytest.raises(UnknownSchemaGeneration) as raised:
            sage100_metadata("i7")
        assert "i7" in raised.value.message("en")

    @pytest.mark.parametrize("schema", GENERATIONS)
    def test_sql_server_ddl(self, schema: str) -> None:
        for table in sage100_metadata(schema).sorted_tables:
            ddl = str(CreateTable(table).compile(dialect=MSSQL))
            assert "[cbMarq] INTEGER NOT NULL IDENTITY" in ddl
            assert f"CONSTRAINT [PK_CBMARQ_{table.name}] PRIMARY KEY ([cbMarq])" in ddl
            assert ("SMALLDATETIME" in ddl) is (schema == "older")
            assert "dbo" not in ddl  # resolved by the login's default schema


@pytest.mark.parametrize("schema", GENERATIONS)
class TestCreate:
    def test_sqlite(self, schema: str, tmp_path: Path) -> None:
        columns = _create_and_inspect(f"sqlite:///{tmp_path / 'c.db'}", schema)
        assert ("CO_Sommeil" in columns["F_COLLABORATEUR"]) is (schema == "recent")

    @pytest.mark.postgres
    def test_postgresql(self, schema: str) -> None:
        with fresh_pg_database("sbtables") as url:
            columns = _create_and_inspect(url, schema)
        assert "CO_EMail" in columns["F_COLLABORATEUR"]

    def test_mariadb(self, schema: str) -> None:
        with fresh_mariadb_database("sbtables") as url:
            columns = _create_and_inspect(url, schema)
        assert "CO_EMail" in columns["F_COLLABORATEUR"]
