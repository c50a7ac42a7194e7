"""What the portfolio pages read, always through the commerce queries and the viewer's scope.

A rep sees their own customers and documents, a manager those of the environments they are
linked in, an admin the whole account (`seatbridge.commerce.scope`). Names shown next to the
figures (environments, representatives) are read in the signed-in account only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from seatbridge.accounts import service as accounts
from seatbridge.auth.sessions import SignedIn
from seatbridge.commerce.models import CommerceCustomer
from seatbridge.commerce.queries import MAX_PAGE_SIZE, Paging, Period, history, portfolio
from seatbridge.commerce.scope import Reach, Viewer, customer_filter, viewer_for
from seatbridge.directory.models import CollaboratorLink
from seatbridge.sync.models import Collaborator
from seatbridge.web.portal.filters import SALES_TYPES


@dataclass(frozen=True)
class Scope:
    """The viewer, and the environments whose names the pages show."""

    viewer: Viewer
    environments: dict[int, str]  # the environments the viewer sees, id -> name

    @property
    def reach(self) -> str:
        return self.viewer.reach.value

    @property
    def several_environments(self) -> bool:
        return len(self.environments) > 1

    @property
    def shows_representatives(self) -> bool:
        """A rep's own pages need no representative column: it is them."""
        return self.viewer.reach is not Reach.OWN


def scope_of(session: Session, me: SignedIn) -> Scope:
    viewer = viewer_for(session, account_id=me.account.id, user_id=me.user.id)
    names = {e.id: e.name for e in accounts.list_environments(session, account_id=me.account.id)}
    if viewer.reach is Reach.ENVIRONMENTS:
        seen = set(viewer.environment_ids)
    elif viewer.reach is Reach.OWN:
        seen = set(
            session.scalars(
                select(CollaboratorLink.environment_id).where(
                    CollaboratorLink.account_id == me.account.id,
                    CollaboratorLink.user_id == me.user.id,
                )
            )
        )
    else:
        seen = set(names)
    return Scope(viewer, {key: name for key, name in names.items() if key in seen})


def latest_sale(session: Session, viewer: Viewer, *, today: dt.date) -> dt.date | None:
    """The date of the viewer's latest invoice or credit note up to today, if any."""
    found = history(
        session,
        viewer=viewer,
        types=SALES_TYPES,
        period=Period(dt.date.min, today + dt.timedelta(days=1)),
        paging=Paging(1, 1),
    )
    stamp = found.items[0].do_date if found.items else None
    return stamp.date() if stamp else None


def find_customer(
    session: Session, viewer: Viewer, *, environment_id: int, ct_num: str
) -> CommerceCustomer | None:
    """One customer the viewer may see (None for another account's, or another rep's)."""
    customer = CommerceCustomer
    return session.scalar(
        select(customer).where(
            customer_filter(viewer),
            customer.environment_id == environment_id,
            customer.ct_num == ct_num,
        )
    )


def visible_customers(
    session: Session, viewer: Viewer, keys: Iterable[tuple[int, str | None]]
) -> set[tuple[int, str]]:
    """Which of these (environment, CT_Num) the viewer may open: a rep's document can be for
    a customer of another rep (the document's own representative decides)."""
    wanted = sorted({(environment, ct_num) for environment, ct_num in keys if ct_num})
    if not wanted:
        return set()
    customer = CommerceCustomer
    rows = session.execute(
        select(customer.environment_id, customer.ct_num).where(
            customer_filter(viewer), tuple_(customer.environment_id, customer.ct_num).in_(wanted)
        )
    )
    return {(environment, str(ct_num)) for environment, ct_num in rows}


def revenue_of(
    session: Session, viewer: Viewer, customer: CommerceCustomer, period: Period | None
) -> Decimal:
    """The customer's net sales exactly as the portfolio counts them: the portfolio searched
    with the customer's own folded text, which it matches (and almost never another)."""
    key = (customer.environment_id, customer.ct_num)
    number = 1
    while True:
        found = portfolio(
            session,
            viewer=viewer,
            search=customer.search_text,
            period=period,
            paging=Paging(number, MAX_PAGE_SIZE),
        )
        for item in found.items:
            if (item.environment_id, item.ct_num) == key:
                return item.revenue
        if number >= found.pages:
            return Decimal(0)
        number += 1


def representatives(
    session: Session, account_id: int, keys: Iterable[tuple[int, int | None]]
) -> dict[tuple[int, int], str]:
    """Names of the Sage 100 collaborators (environment, CO_No) of the rows shown."""
    wanted = sorted({(environment, co_no) for environment, co_no in keys if co_no is not None})
    if not wanted:
        return {}
    rows = session.execute(
        select(
            Collaborator.environment_id,
            Collaborator.co_no,
            Collaborator.first_name,
            Collaborator.last_name,
        ).where(
            Collaborator.account_id == account_id,
            tuple_(Collaborator.environment_id, Collaborator.co_no).in_(wanted),
        )
    )
    names = {}
    for environment, co_no, first, last in rows:
        name = " ".join(part for part in (first, last) if part)
        if name:
            names[(environment, co_no)] = name
    return names
