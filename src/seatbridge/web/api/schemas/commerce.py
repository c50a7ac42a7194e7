"""A user's customer portfolio and sales history (read-only copies of Sage 100, rule 15)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field

from seatbridge.web.api.pagination import Page
from seatbridge.web.api.schemas.common import ReadSchema


class PortfolioCustomerRead(ReadSchema):
    environment_id: int
    ct_num: str = Field(description="The customer's account number in Sage 100 (CT_Num).")
    name: str | None
    city: str | None
    postcode: str | None
    co_no: int | None = Field(description="Its representative (collaborator number).")
    prospect: bool | None
    dormant: bool
    revenue: Decimal = Field(description="Net sales excluding tax over the period asked.")


class PortfolioPage(Page[PortfolioCustomerRead]):
    total: int


class HistoryDocumentRead(ReadSchema):
    environment_id: int
    do_type: int = Field(description="0-3 quote..delivery, 4 return, 5 credit note, 6-7 invoice.")
    do_piece: str
    do_date: dt.date | None
    ct_num: str | None
    customer_name: str | None
    co_no: int | None
    status: int | None
    total_ht: Decimal | None
    total_ttc: Decimal | None


class HistoryPage(Page[HistoryDocumentRead]):
    total: int
