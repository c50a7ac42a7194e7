"""The geometry of the server-rendered SVG charts; the templates draw them (and hold the words).

Charts are plain SVG in the page: no script, readable without CSS, each with a title, and every
figure also in a table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from seatbridge.accounts.seats import SeatUsage

WIDTH = 640
LABEL_WIDTH = 150
BAR_START = 160
BAR_END = 560
ROW_HEIGHT = 34
BAR_HEIGHT = 18


@dataclass(frozen=True, slots=True)
class SeatBar:
    kind: str  # environment, unassigned (users without a home environment), total
    label: str
    used: int
    limit: int | None  # the environment's cap, or the pool for the total row
    y: int
    width: float
    limit_x: float | None
    over: bool


@dataclass(frozen=True)
class SeatChart:
    bars: tuple[SeatBar, ...]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_start: int = BAR_START
    bar_end: int = BAR_END
    bar_height: int = BAR_HEIGHT


def seat_chart(usage: SeatUsage) -> SeatChart:
    """One bar per environment (licences held by its users, its cap), then users without a
    home environment, then the whole pool against the code's licences."""
    rows: list[tuple[str, str, int, int | None]] = [
        ("environment", e.name, e.used, e.cap) for e in usage.environments
    ]
    unassigned = usage.used - sum(e.used for e in usage.environments)
    if unassigned > 0:
        rows.append(("unassigned", "", unassigned, None))
    rows.append(("total", "", usage.used, usage.total))
    scale = max([1, usage.total] + [max(used, limit or 0) for _, _, used, limit in rows])
    span = BAR_END - BAR_START
    bars = tuple(
        SeatBar(
            kind=kind,
            label=label,
            used=used,
            limit=limit,
            y=8 + index * ROW_HEIGHT,
            width=round(span * used / scale, 1),
            limit_x=None if limit is None else round(BAR_START + span * limit / scale, 1),
            over=limit is not None and used > limit,
        )
        for index, (kind, label, used, limit) in enumerate(rows)
    )
    return SeatChart(bars=bars, height=16 + len(bars) * ROW_HEIGHT)


COLUMN_AREA_TOP = 16
COLUMN_AREA_BOTTOM = 200
COLUMN_LEFT = 70
COLUMN_RIGHT = 630


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    value: Decimal
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ColumnChart:
    columns: tuple[Column, ...]
    ticks: tuple[tuple[float, Decimal], ...]  # (y, value) of the horizontal guides
    width: int = WIDTH
    height: int = COLUMN_AREA_BOTTOM + 40
    left: int = COLUMN_LEFT
    right: int = COLUMN_RIGHT
    bottom: int = COLUMN_AREA_BOTTOM


def column_chart(points: Sequence[tuple[str, Decimal]], *, ticks: int = 4) -> ColumnChart:
    """Columns for (label, value) points, e.g. sales per month; negative months show as zero
    height (credit notes can outweigh a month's invoices) while the table keeps the figure."""
    top = max([Decimal(0)] + [value for _, value in points])
    step = _nice_step(top / ticks) if top > 0 else Decimal(1)
    ceiling = step * ticks
    area = COLUMN_AREA_BOTTOM - COLUMN_AREA_TOP
    slot = (COLUMN_RIGHT - COLUMN_LEFT) / max(1, len(points))
    columns = []
    for index, (label, value) in enumerate(points):
        height = float(max(Decimal(0), value) / ceiling) * area if ceiling else 0.0
        columns.append(
            Column(
                label=label,
                value=value,
                x=round(COLUMN_LEFT + index * slot + slot * 0.15, 1),
                y=round(COLUMN_AREA_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
            )
        )
    guides = tuple(
        (round(COLUMN_AREA_BOTTOM - area * i / ticks, 1), step * i) for i in range(ticks + 1)
    )
    return ColumnChart(columns=tuple(columns), ticks=guides)


def _nice_step(raw: Decimal) -> Decimal:
    """1, 2 or 5 times a power of ten, at least `raw`."""
    exponent = len(str(int(raw))) - 1 if raw >= 1 else 0
    base = Decimal(10) ** exponent
    for factor in (1, 2, 5, 10):
        if base * factor >= raw:
            return base * factor
    return base * 10
