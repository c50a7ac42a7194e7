"""Read-only copies of each environment's customers and sales documents (F_COMPTET, F_DOCENTETE,
F_DOCLIGNE), written only by `seatbridge.commerce.replication`.

Keys start with (account_id, environment_id) so that every lookup is tenant-scoped and the store
can later be sharded by account. Customers are keyed by CT_Num and documents by (DO_Type,
DO_Piece); lines by cbMarq, because Sage rewrites a line's DO_Type/DO_Piece when its document is
transformed. Amounts are integer millionths (numeric(24,6) without floats: SQLite has no
decimal type, and sums must be exact on both backends).

Only the customers' copy has a foreign key to its environment. Documents and lines (millions of
rows) have none: PostgreSQL checks a foreign key with a trigger and a locking SELECT per row,
which was 43 % of a full replication of 6 million rows (102 s with it, 58 s without). They are
a cache of Sage 100 written by one code path, `seatbridge.commerce.replication`, for an
environment it has just loaded; whatever removes an environment must remove its copies too
(nothing removes environments today).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from seatbridge.db.base import Base
from seatbridge.db.money import Money
from seatbridge.sync.models import SAGE_TIME


def _environment_fk(table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["account_id", "environment_id"],
        ["environment.account_id", "environment.id"],
        name=f"fk_{table}_environment",
        ondelete="CASCADE",
    )


class CommerceCustomer(Base):
    """A customer or prospect (F_COMPTET, CT_Type 0) of one environment."""

    __tablename__ = "commerce_customer"
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "environment_id", "ct_num"),
        _environment_fk("commerce_customer"),
        Index("ix_commerce_customer_rep", "account_id", "environment_id", "co_no"),
        Index("ix_commerce_customer_cb_marq", "account_id", "environment_id", "cb_marq"),
    )

    account_id: Mapped[int]
    environment_id: Mapped[int]
    ct_num: Mapped[str] = mapped_column(String(17))
    name: Mapped[str | None] = mapped_column(String(69))
    prospect: Mapped[bool | None]
    co_no: Mapped[int | None]  # representative; None when Sage says 0 ("none")
    dormant: Mapped[bool]
    email: Mapped[str | None] = mapped_column(String(69))
    phone: Mapped[str | None] = mapped_column(String(21))
    postcode: Mapped[str | None] = mapped_column(String(9))
    city: Mapped[str | None] = mapped_column(String(35))
    country: Mapped[str | None] = mapped_column(String(35))
    # Code, name and city folded (lower case, no accents): one LIKE serves both backends.
    search_text: Mapped[str] = mapped_column(String)
    cb_marq: Mapped[int]
    modified_at: Mapped[dt.datetime | None] = mapped_column(SAGE_TIME)


class CommerceDocument(Base):
    """A sales document header (F_DOCENTETE, DO_Domaine 0) of one environment."""

    __tablename__ = "commerce_document"
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "environment_id", "do_type", "do_piece"),
        Index("ix_commerce_document_rep", "account_id", "environment_id", "co_no", "do_date"),
        Index("ix_commerce_document_customer", "account_id", "environment_id", "ct_num"),
        # Newest first across the account's environments, in the exact order history pages use
        # (every key descending), so that a page is read off the index without sorting.
        Index(
            "ix_commerce_document_date",
            *("account_id", "do_date", "do_piece", "environment_id", "do_type"),
        ),
        Index("ix_commerce_document_cb_marq", "account_id", "environment_id", "cb_marq"),
    )

    account_id: Mapped[int]
    environment_id: Mapped[int]
    do_type: Mapped[int] = mapped_column(SmallInteger)
    do_piece: Mapped[str] = mapped_column(String(13))
    do_date: Mapped[dt.datetime | None] = mapped_column(SAGE_TIME)
    reference: Mapped[str | None] = mapped_column(String(17))
    ct_num: Mapped[str | None] = mapped_column(String(17))  # DO_Tiers
    co_no: Mapped[int | None]  # None: the document belongs to its customer's representative
    status: Mapped[int | None] = mapped_column(SmallInteger)
    total_ht: Mapped[Decimal | None] = mapped_column(Money)
    total_ttc: Mapped[Decimal | None] = mapped_column(Money)
    cb_marq: Mapped[int]
    modified_at: Mapped[dt.datetime | None] = mapped_column(SAGE_TIME)
    # The header has no totals in Sage (older versions lack the columns, or they are NULL): the
    # replication computes them from the document's lines (`commerce.totals`).
    totals_from_lines: Mapped[bool] = mapped_column(default=False, server_default=false())


class CommerceDocumentLine(Base):
    """A sales document line (F_DOCLIGNE, DO_Domaine 0), keyed by its cbMarq."""

    __tablename__ = "commerce_document_line"
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "environment_id", "cb_marq"),
        Index(
            "ix_commerce_document_line_document",
            "account_id",
            "environment_id",
            "do_type",
            "do_piece",
        ),
    )

    account_id: Mapped[int]
    environment_id: Mapped[int]
    cb_marq: Mapped[int]
    do_type: Mapped[int] = mapped_column(SmallInteger)
    do_piece: Mapped[str] = mapped_column(String(13))
    ct_num: Mapped[str | None] = mapped_column(String(17))
    dl_no: Mapped[int | None]
    position: Mapped[int | None]  # DL_Ligne: sort order inside the document
    ar_ref: Mapped[str | None] = mapped_column(String(19))
    designation: Mapped[str | None] = mapped_column(String(69))
    quantity: Mapped[Decimal | None] = mapped_column(Money)
    unit_price: Mapped[Decimal | None] = mapped_column(Money)
    amount_ht: Mapped[Decimal | None] = mapped_column(Money)
    co_no: Mapped[int | None]
    do_date: Mapped[dt.datetime | None] = mapped_column(SAGE_TIME)
    modified_at: Mapped[dt.datetime | None] = mapped_column(SAGE_TIME)
    amount_ttc: Mapped[Decimal | None] = mapped_column(Money)
