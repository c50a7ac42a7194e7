"""Demo Sage 100 companies: a deterministic jewellery trader, like Sage's own "Bijou SA".

`make_demo_company` creates F_COLLABORATEUR, F_COMPTET, F_DOCENTETE and F_DOCLIGNE in any database
SQLAlchemy reaches and fills them from a seed (same seed, same rows; the dates are relative to a
fixed reference date, never today). The data carries, on purpose, the dirt real companies have
(docs/sage100-demo.md lists each kind and where it is):

- collaborators without e-mail (NULL and ''), e-mails in upper case or with stray spaces, one
  address shared by two collaborators, two addresses in one field ("a@x.fr;b@gmail.com"), an
  invalid address, dormant collaborators (CO_Sommeil = 1, recent schema only), names with spaces;
- '' instead of NULL in text columns, 1753-01-01 as "no date" (CO_DateCreation, DO_DateLivr,
  DL_Date*), customer names pasted with quotes and spaces;
- documents (and their lines) with CO_No = 0: they belong to the customer's representative.

From 12 collaborators on, every kind of collaborator dirt is present (the counts of the doc
hold from 17).
"""

from __future__ import annotations

import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, MetaData, func, inspect, select, table
from sqlalchemy.exc import DBAPIError

from seatbridge.i18n import _
from seatbridge.sage100.connect import (
    create_sage100_engine,
    database_url,
    describe,
    open_connection,
)
from seatbridge.sage100.demo_customers import customer_rows
from seatbridge.sage100.demo_documents import HEADER_COLUMNS, LINE_COLUMNS, document_batches
from seatbridge.sage100.demo_people import Row, Staff, collaborator_rows
from seatbridge.sage100.demo_writer import (
    CORE_CODEC,
    SQLITE_CODEC,
    CoreWriter,
    RowWriter,
    SqliteWriter,
    analyze,
    end_fast_session,
    fast_sqlite_session,
)
from seatbridge.sage100.errors import (
    DemoCompanyNotEmpty,
    DemoInvalidOption,
    DemoWriteFailed,
    Sage100Error,
    Sage100Unreachable,
)
from seatbridge.sage100.tables import (
    COLLABORATORS,
    DOCUMENT_HEADERS,
    DOCUMENT_LINES,
    TABLE_NAMES,
    THIRD_PARTIES,
    check_generation,
    sage100_metadata,
)

Progress = Callable[[str, int, int], None]
BATCH_LINES = 5000
_COMPANY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,11}")


@dataclass(frozen=True, slots=True)
class DemoCompanySummary:
    """What was written, for the CLI and the demo."""

    company: str
    location: str
    schema: str
    seed: int
    domain: str
    collaborators: int
    third_parties: int
    customers: int
    documents: int
    lines: int
    seconds: float

    def table_counts(self) -> dict[str, int]:
        return {
            COLLABORATORS: self.collaborators,
            THIRD_PARTIES: self.third_parties,
            DOCUMENT_HEADERS: self.documents,
            DOCUMENT_LINES: self.lines,
        }

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "tables": self.table_counts()}


def company_domain(company: str) -> str:
    """The e-mail domain of a demo company: BIJOU -> bijou-sa.fr."""
    return f"{company.lower().replace('_', '-')}-sa.fr"


def make_demo_company(
    url: str,
    *,
    company: str = "BIJOU",
    collaborators: int = 40,
    customers: int = 300,
    documents: int = 3000,
    seed: int = 1,
    schema: str = "recent",
    replace: bool = False,
    progress: Progress | None = None,
) -> DemoCompanySummary:
    """Create the four Sage 100 tables at `url` (SQLAlchemy URL or SQLite path) and fill them."""
    generation = check_generation(schema)
    _check_options(company, collaborators, customers, documents)
    report = progress or (lambda _stage, _done, _total: None)
    started = time.perf_counter()
    target = database_url(url)
    location = describe(target)
    if target.get_backend_name() == "sqlite" and target.database not in (None, "", ":memory:"):
        try:
            Path(target.database or "").parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise Sage100Unreachable(location=location, detail=str(error)) from None
    engine = create_sage100_engine(target)
    metadata = sage100_metadata(generation)
    rng = random.Random(seed)
    staff = Staff()
    domain = company_domain(company)
    try:
        with _write_errors(location), open_connection(engine) as connection:
            _prepare_tables(connection, metadata, location, replace=replace)
            people = collaborator_rows(rng, collaborators, domain, staff)
            _insert_rows(connection, metadata.tables[COLLABORATORS], people, generation)
            report("collaborators", len(people), collaborators)
            third_parties, plans = customer_rows(rng, customers, staff)
            _insert_rows(connection, metadata.tables[THIRD_PARTIES], third_parties, generation)
            report("customers", customers, customers)
            connection.commit()
            lines = _write_documents(engine, connection, metadata, rng, documents, plans, staff,
                                     generation, report)  # fmt: skip
            analyze(connection)
    finally:
        engine.dispose()
    return DemoCompanySummary(
        company=company,
        location=location,
        schema=generation,
        seed=seed,
        domain=domain,
        collaborators=len(people),
        third_parties=len(third_parties),
        customers=customers,
        documents=documents,
        lines=lines,
        seconds=round(time.perf_counter() - started, 3),
    )


def _check_options(company: str, collaborators: int, customers: int, documents: int) -> None:
    if not _COMPANY.fullmatch(company):
        raise DemoInvalidOption(
            option="company",
            value=company,
            reason=_("1 à 12 lettres, chiffres, - ou _"),
        )
    for option, value in (
        ("collaborators", collaborators),
        ("customers", customers),
        ("documents", documents),
    ):
        if value < 0:
            raise DemoInvalidOption(
                option=option,
                value=value,
                reason=_("doit être positif ou nul"),
            )
    if documents and not customers:
        raise DemoInvalidOption(
            option="customers",
            value=customers,
            reason=_("il faut au moins un client pour créer des documents"),
        )


@contextmanager
def _write_errors(location: str) -> Iterator[None]:
    try:
        yield
    except Sage100Error:
        raise
    except DBAPIError as error:
        detail = str(error.orig or error).splitlines()[0]
        raise DemoWriteFailed(location=location, detail=detail) from error
    except sqlite3.Error as error:
        raise DemoWriteFailed(location=location, detail=str(error)) from error


def _prepare_tables(
    connection: Connection, metadata: MetaData, location: str, *, replace: bool
) -> None:
    """Refuse to touch tables holding data unless `replace`; then (re)create all four."""
    inspector = inspect(connection)
    existing = [name for name in TABLE_NAMES if inspector.has_table(name)]
    counts = {
        name: connection.scalar(select(func.count()).select_from(table(name))) or 0
        for name in existing
    }
    filled = {name: count for name, count in counts.items() if count}
    if filled and not replace:
        described = ", ".join(f"{name}: {count}" for name, count in filled.items())
        raise DemoCompanyNotEmpty(location=location, tables=described)
    connection.rollback()
    metadata.drop_all(connection, checkfirst=True)
    metadata.create_all(connection)
    connection.commit()


def _insert_rows(connection: Connection, target: Any, rows: list[Row], generation: str) -> None:
    names = [column.name for column in target.columns if column.name != "cbMarq"]
    minute = generation == "older"
    batch = []
    for row in rows:
        # Columns the generator leaves out keep their server default (cbProt, cbFlag...).
        values = {name: row[name] for name in names if name in row}
        if minute:
            # Older versions keep stamps as smalldatetime: minute precision.
            for key in ("cbModification", "CO_DateCreation"):
                if values.get(key) is not None:
                    values[key] = values[key].replace(second=0)
        batch.append(values)
    for start in range(0, len(batch), BATCH_LINES):
        connection.execute(target.insert(), batch[start : start + BATCH_LINES])


def _write_documents(
    engine: Engine,
    connection: Connection,
    metadata: MetaData,
    rng: random.Random,
    documents: int,
    plans: list[Any],
    staff: Staff,
    generation: str,
    report: Progress,
) -> int:
    headers_table = metadata.tables[DOCUMENT_HEADERS]
    lines_table = metadata.tables[DOCUMENT_LINES]
    sqlite = engine.dialect.name == "sqlite"
    raw: sqlite3.Connection | None = None
    if sqlite:
        raw = cast(sqlite3.Connection, connection.connection.driver_connection)
        fast_sqlite_session(raw)
        headers: RowWriter = SqliteWriter(raw, headers_table, HEADER_COLUMNS)
        lines: RowWriter = SqliteWriter(raw, lines_table, LINE_COLUMNS)
    else:
        headers = CoreWriter(connection, headers_table, HEADER_COLUMNS)
        lines = CoreWriter(connection, lines_table, LINE_COLUMNS)
    written = 0
    report("documents", 0, documents)
    try:
        for header_rows, line_rows, done in document_batches(
            rng,
            documents,
            plans,
            staff,
            SQLITE_CODEC if sqlite else CORE_CODEC,
            minute_stamps=generation == "older",
            batch_lines=BATCH_LINES,
        ):
            headers.write(header_rows)
            lines.write(line_rows)
            written += len(line_rows)
            report("documents", done, documents)
        if raw is not None:
            raw.commit()
        else:
            connection.commit()
    finally:
        if raw is not None:
            end_fast_session(raw)
    return written
