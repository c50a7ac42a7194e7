"""What crosses from Sage 100 into seatbridge: collaborator records grouped in a change set.

A change set is the same whether it comes from a direct read of the Sage database or from an
on-premise connector's push: the engine does not care which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from seatbridge.sage100.records import Watermark
from seatbridge.sage100.screening import RowReport


@dataclass(frozen=True, slots=True)
class CollaboratorRecord:
    """One F_COLLABORATEUR row, cleaned (trimmed, '' -> None) but with its raw e-mail."""

    co_no: int
    cb_marq: int
    last_name: str | None = None
    first_name: str | None = None
    function: str | None = None
    phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    is_salesperson: bool = False
    dormant: bool | None = None  # None: this Sage version has no CO_Sommeil column
    modified_at: dt.datetime | None = None  # cbModification, Sage server-local time


@dataclass(frozen=True)
class ChangeSet:
    """Collaborators read in one go. A full change set holds every row: absent keys are deleted."""

    records: tuple[CollaboratorRecord, ...]
    full: bool
    watermark: Watermark = field(default_factory=lambda: Watermark(None, 0))
    # Rows set aside or cleaned on the way (seatbridge.sage100.screening), for the run's report.
    report: RowReport = field(default_factory=RowReport)


__all__ = ["ChangeSet", "CollaboratorRecord", "Watermark"]
