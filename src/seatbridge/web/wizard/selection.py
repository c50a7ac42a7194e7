"""Choosing collaborators to invite: the mirror's rows grouped by company, the default
selection (salespeople, not dormant, with a valid e-mail) and the seat checks of a selection."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge.accounts import errors as seat_errors
from seatbridge.accounts.models import Account, Environment
from seatbridge.accounts.seats import LicenseState, SeatUsage, seat_usage
from seatbridge.errors import SeatbridgeError
from seatbridge.sync.models import Collaborator

Pick = tuple[int, int]  # (environment id, CO_No)


@dataclass(frozen=True, slots=True)
class Choice:
    environment_id: int
    co_no: int
    name: str
    function: str | None
    email: str | None
    salesperson: bool
    reason: str | None  # why it cannot be invited (NotInvitable), None when it can

    @property
    def pick(self) -> str:
        return f"{self.environment_id}:{self.co_no}"

    @property
    def invitable(self) -> bool:
        return self.reason is None and self.email is not None

    @property
    def suggested(self) -> bool:
        """The default selection of rule 13 (dormant ones are not invitable already)."""
        return self.invitable and self.salesperson


@dataclass(frozen=True)
class Company:
    environment_id: int
    name: str
    cap: int | None
    used: int
    choices: tuple[Choice, ...]

    @property
    def invitable(self) -> int:
        return sum(1 for choice in self.choices if choice.invitable)


def checked_picks(
    session: Session, *, account: Account, values: Iterable[str], today: dt.date
) -> tuple[list[Pick], SeatbridgeError | None]:
    """The picks a form sent and why they cannot be invited now (or None): what the wizard and
    the Admin's "invite from Sage 100" both check before `onboarding.invite_collaborators`."""
    usage = seat_usage(session, account_id=account.id, today=today)
    found = companies(session, account_id=account.id, usage=usage)
    chosen = parse_picks(values, found)
    return chosen, seat_problem(chosen, usage, found, expires_on=account.license_expires_on)


def companies(session: Session, *, account_id: int, usage: SeatUsage) -> list[Company]:
    """Every live collaborator of the account's companies, in Sage order (CO_No)."""
    environments = session.scalars(
        select(Environment).where(Environment.account_id == account_id).order_by(Environment.id)
    ).all()
    seats = {row.environment_id: row for row in usage.environments}
    rows = session.scalars(
        select(Collaborator)
        .where(Collaborator.account_id == account_id, Collaborator.deleted_at.is_(None))
        .order_by(Collaborator.environment_id, Collaborator.co_no)
    ).all()
    grouped: dict[int, list[Choice]] = {environment.id: [] for environment in environments}
    for row in rows:
        grouped.setdefault(row.environment_id, []).append(
            Choice(
                environment_id=row.environment_id,
                co_no=row.co_no,
                name=" ".join(p for p in (row.first_name, row.last_name) if p) or f"{row.co_no}",
                function=row.function,
                email=row.email,
                salesperson=row.is_salesperson,
                reason=row.not_invitable,
            )
        )
    return [
        Company(
            environment_id=environment.id,
            name=environment.name,
            cap=environment.seat_cap,
            used=seats[environment.id].used if environment.id in seats else 0,
            choices=tuple(grouped[environment.id]),
        )
        for environment in environments
    ]


def default_picks(found: Iterable[Company], free: int) -> tuple[set[str], int]:
    """The suggested collaborators, as many as the free seats (and caps) allow, in Sage order;
    also how many suggestions did not fit."""
    picked: set[str] = set()
    left_out = 0
    for company in found:
        room = free if company.cap is None else min(free, max(0, company.cap - company.used))
        for choice in company.choices:
            if not choice.suggested:
                continue
            if room > 0:
                picked.add(choice.pick)
                room -= 1
                free -= 1
            else:
                left_out += 1
    return picked, left_out


def parse_picks(values: Iterable[str], found: Iterable[Company]) -> list[Pick]:
    """The invitable (environment, CO_No) pairs a form sent; anything else is ignored."""
    allowed = {
        c.pick: (c.environment_id, c.co_no) for co in found for c in co.choices if c.invitable
    }
    seen: dict[str, Pick] = {}
    for value in values:
        if value in allowed:
            seen.setdefault(value, allowed[value])
    return list(seen.values())


def seat_problem(
    picks: list[Pick], usage: SeatUsage, found: Iterable[Company], *, expires_on: object
) -> SeatbridgeError | None:
    """Why this selection cannot be invited now (licence, pool, caps), or None.

    The database re-checks when the invitations are sent; this answers before, with the
    same messages.
    """
    if not picks:
        return None
    if usage.license is LicenseState.NONE:
        return seat_errors.NoLicense()
    if usage.license is not LicenseState.VALID:
        return seat_errors.LicenseExpired(expires_on=expires_on)
    if usage.over_quota:
        return seat_errors.OverQuota(
            total=usage.total, used=usage.used, excess=usage.used - usage.total
        )
    if len(picks) > usage.free:
        return seat_errors.SeatLimitReached(
            requested=len(picks), free=usage.free, total=usage.total, used=usage.used
        )
    wanted = Counter(environment_id for environment_id, _ in picks)
    for company in found:
        count = wanted.get(company.environment_id, 0)
        if company.cap is not None and count and company.used + count > company.cap:
            return seat_errors.EnvironmentSeatCapReached(
                environment=company.name, cap=company.cap, used=company.used, requested=count
            )
    return None
