"""Every way a read can fail is a clear Sage100Error naming what failed, never an empty result."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from seatbridge.sage100.errors import (
    Sage100ColumnMissing,
    Sage100DriverMissing,
    Sage100Error,
    Sage100InvalidUrl,
    Sage100TableMissing,
    Sage100Timeout,
    Sage100Unreachable,
)
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import Entity
from tests.support.databases import fresh_pg_database


def messages(error: Sage100Error) -> str:
    return error.message("fr") + "\n" + error.message("en")


class TestMissingTable:
    def test_sqlite(self, tmp_path: Path) -> None:
        path = tmp_path / "other.db"
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE F_ARTICLE (cbMarq INTEGER PRIMARY KEY)")
        with Sage100Reader(str(path)) as reader, pytest.raises(Sage100TableMissing) as raised:
            reader.read_collaborators()
        assert "F_COLLABORATEUR" in messages(raised.value)
        assert str(path) in messages(raised.value)

    @pytest.mark.postgres
    def test_postgresql(self) -> None:
        with (
            fresh_pg_database("sbempty") as url,
            Sage100Reader(url) as reader,
            pytest.raises(Sage100TableMissing) as raised,
        ):
            reader.check()
        assert "F_COLLABORATEUR" in messages(raised.value)
        assert "127.0.0.1" in messages(raised.value)

    def test_sqlite_file_that_does_not_exist(self, tmp_path: Path) -> None:
        path = tmp_path / "missing.db"
        with Sage100Reader(str(path)) as reader, pytest.raises(Sage100Unreachable):
            list(reader.read_document_lines())
        assert not path.exists()  # the reader never creates (or writes) a database


class TestMissingColumn:
    def test_required_column(self, tmp_path: Path) -> None:
        path = tmp_path / "odd.db"
        with sqlite3.connect(path) as connection:
            connection.execute(
                "CREATE TABLE F_COLLABORATEUR (cbMarq INTEGER PRIMARY KEY, CO_Nom TEXT, "
                "CO_Prenom TEXT, CO_EMail TEXT, cbModification TEXT)"
            )
            connection.execute("INSERT INTO F_COLLABORATEUR (CO_Nom) VALUES ('DUPONT')")
        with Sage100Reader(str(path)) as reader, pytest.raises(Sage100ColumnMissing) as raised:
            reader.read(Entity.COLLABORATORS)
        text_ = messages(raised.value)
        assert "CO_No" in text_ and "F_COLLABORATEUR" in text_ and str(path) in text_

    def test_other_spelling_is_accepted(self, recent_db: Path) -> None:
        with sqlite3.connect(recent_db) as connection:
            connection.execute('ALTER TABLE F_COLLABORATEUR RENAME COLUMN CO_EMail TO "co_email"')
        with Sage100Reader(str(recent_db)) as reader:
            assert "co_email" in reader.columns("F_COLLABORATEUR")
            assert any(p.CO_EMail for p in reader.read_collaborators())


class TestUnreachable:
    @pytest.mark.parametrize(
        "url",
        [
            "postgresql+psycopg://postgres@127.0.0.1:1/BIJOU",
            "mysql+pymysql://root@127.0.0.1:1/BIJOU",
        ],
    )
    def test_refused_connection(self, url: str) -> None:
        with (
            Sage100Reader(url, connect_timeout=3) as reader,
            pytest.raises(Sage100Unreachable) as raised,
        ):
            reader.read_collaborators()
        assert "127.0.0.1:1" in messages(raised.value)

    def test_sql_server(self) -> None:
        url = "mssql+pymssql://reader:secret@127.0.0.1:1/BIJOU"
        expected = (
            Sage100Unreachable if importlib.util.find_spec("pymssql") else Sage100DriverMissing
        )
        with pytest.raises(expected) as raised:
            Sage100Reader(url, connect_timeout=2).check()
        assert "secret" not in messages(raised.value)

    @pytest.mark.parametrize(
        "url", ["nosuchdb://host/x", "postgresql://u@h:port/x", "a b://x", "   "]
    )
    def test_invalid_url(self, url: str) -> None:
        with pytest.raises(Sage100InvalidUrl):
            Sage100Reader(url).check()


class TestTimeout:
    def test_sqlite_locked_by_another_connection(self, recent_db: Path) -> None:
        blocker = sqlite3.connect(recent_db, isolation_level=None)
        try:
            blocker.execute("BEGIN EXCLUSIVE")
            with (
                Sage100Reader(str(recent_db), statement_timeout=0.2) as reader,
                pytest.raises(Sage100Timeout) as raised,
            ):
                list(reader.read_document_headers())
        finally:
            blocker.close()
        assert "0.2" in messages(raised.value)

    @pytest.mark.postgres
    def test_postgresql_statement_timeout(self, pg_company: str) -> None:
        blocker = create_engine(pg_company)
        try:
            with blocker.connect() as connection:
                connection.execute(text('LOCK TABLE "F_DOCLIGNE" IN ACCESS EXCLUSIVE MODE'))
                with (
                    Sage100Reader(pg_company, statement_timeout=0.5) as reader,
                    pytest.raises(Sage100Timeout) as raised,
                ):
                    list(reader.read_document_lines())
                connection.rollback()
        finally:
            blocker.dispose()
        assert "F_DOCLIGNE" in messages(raised.value)
