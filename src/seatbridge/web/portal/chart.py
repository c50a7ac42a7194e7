"""The monthly net sales chart: columns (geometry from `web.admin.charts`), month names and
amount labels in the page's language. The template draws it and repeats every figure in a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_compact_currency

from seatbridge.commerce.queries import MonthlySales
from seatbridge.web.admin.charts import Column, ColumnChart, column_chart
from seatbridge.web.admin.formatting import CURRENCY

MAX_LABELS = 12  # month names under the columns; longer periods name every n-th month


@dataclass(frozen=True)
class ChartMonth:
    sales: MonthlySales
    column: Column
    short: str  # under the column: "juil. 24"
    medium: str  # in the table: "juil. 2024"
    name: str  # in the descriptions and the tooltips: "juillet 2024"
    labelled: bool
    minor: bool  # one labelled month in two, left out where the chart is drawn small

    @property
    def key(self) -> str:
        return self.sales.month.strftime("%Y-%m")


@dataclass(frozen=True)
class SalesChart:
    geometry: ColumnChart
    months: tuple[ChartMonth, ...]
    ticks: tuple[tuple[float, str], ...]  # (y, amount label) of the horizontal guides
    total: Decimal
    best: ChartMonth | None  # the month with the highest net sales, if any sold

    @property
    def first(self) -> ChartMonth | None:
        return self.months[0] if self.months else None

    @property
    def last(self) -> ChartMonth | None:
        return self.months[-1] if self.months else None


def sales_chart(sales: Sequence[MonthlySales], locale: str) -> SalesChart:
    geometry = column_chart([(m.month.isoformat(), m.net) for m in sales])
    every = max(1, math.ceil(len(sales) / MAX_LABELS))
    months = tuple(
        ChartMonth(
            sales=m,
            column=column,
            short=format_date(m.month, "MMM yy", locale=locale),
            medium=format_date(m.month, "MMM y", locale=locale),
            name=format_date(m.month, "LLLL y", locale=locale),
            labelled=index % every == 0,
            minor=(index // every) % 2 == 1,
        )
        for index, (m, column) in enumerate(zip(sales, geometry.columns, strict=True))
    )
    ticks = tuple(
        (y, format_compact_currency(value, CURRENCY, locale=locale, fraction_digits=1))
        for y, value in geometry.ticks
    )
    selling = [month for month in months if month.sales.net > 0]
    best = max(selling, key=lambda month: month.sales.net) if selling else None
    total = sum((m.net for m in sales), Decimal(0))
    return SalesChart(geometry, months, ticks, total, best)
