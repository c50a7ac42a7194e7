"""Who sees which customers and documents: attribution is decided at read time.

Everything of an environment is replicated; what a viewer sees is computed from the links
(environment, CO_No) -> user made by the sync engine, so a user linked later sees their whole
history at once, and a user linked in several companies sees all of theirs.

- A customer is in the portfolio of the user linked to its representative (F_COMPTET.CO_No).
- A document belongs to the user linked to its own representative (F_DOCENTETE.CO_No); when that
  is 0/None or unknown (no such collaborator in the company), to the user linked to its
  customer's representative (rule 15).
- A sales rep sees what is theirs; a manager sees everything of the environments where they are
  linked; an admin sees the whole account.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, tuple_, union
from sqlalchemy.orm import Session

from seatbridge.commerce.errors import UserNotFound
from seatbridge.commerce.models import CommerceCustomer, CommerceDocument
from seatbridge.directory.models import CollaboratorLink, Role, User
from seatbridge.sync.models import Collaborator


class Reach(StrEnum):
    OWN = "own"  # what the user's links make theirs
    ENVIRONMENTS = "environments"  # everything of some environments
    ACCOUNT = "account"  # everything of the account


@dataclass(frozen=True)
class Viewer:
    """Whose eyes a query looks through; every query is scoped to `account_id`."""

    account_id: int
    reach: Reach
    user_id: int | None = None
    environment_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def rep(cls, account_id: int, user_id: int) -> Viewer:
        return cls(account_id, Reach.OWN, user_id=user_id)

    @classmethod
    def environments(cls, account_id: int, environment_ids: Iterable[int]) -> Viewer:
        return cls(account_id, Reach.ENVIRONMENTS, environment_ids=frozenset(environment_ids))

    @classmethod
    def whole_account(cls, account_id: int) -> Viewer:
        return cls(account_id, Reach.ACCOUNT)


def viewer_for(session: Session, *, account_id: int, user_id: int) -> Viewer:
    """The scope a user's role gives them (salesrep: own; manager: their environments; admin:
    the account)."""
    user = session.get(User, user_id)
    if user is None or user.account_id != account_id:
        raise UserNotFound(user=user_id)
    if user.role == Role.ADMIN.value:
        return Viewer.whole_account(account_id)
    if user.role == Role.MANAGER.value:
        linked = session.scalars(
            select(CollaboratorLink.environment_id).where(
                CollaboratorLink.account_id == account_id, CollaboratorLink.user_id == user_id
            )
        )
        return Viewer.environments(account_id, linked)
    return Viewer.rep(account_id, user_id)


def _links(viewer: Viewer) -> Select[int, int]:
    return select(CollaboratorLink.environment_id, CollaboratorLink.co_no).where(
        CollaboratorLink.account_id == viewer.account_id,
        CollaboratorLink.user_id == viewer.user_id,
    )


def customer_filter(viewer: Viewer) -> ColumnElement[bool]:
    """The condition on CommerceCustomer rows this viewer may see."""
    tenant = CommerceCustomer.account_id == viewer.account_id
    if viewer.reach is Reach.ACCOUNT:
        return tenant
    if viewer.reach is Reach.ENVIRONMENTS:
        return and_(tenant, CommerceCustomer.environment_id.in_(viewer.environment_ids))
    return and_(
        tenant, tuple_(CommerceCustomer.environment_id, CommerceCustomer.co_no).in_(_links(viewer))
    )


def document_filter(viewer: Viewer) -> ColumnElement[bool]:
    """The condition on CommerceDocument rows this viewer may see."""
    document = CommerceDocument
    tenant = document.account_id == viewer.account_id
    if viewer.reach is Reach.ACCOUNT:
        return tenant
    if viewer.reach is Reach.ENVIRONMENTS:
        return and_(tenant, document.environment_id.in_(viewer.environment_ids))
    # The user's documents are found from their links (representative and customer indexes),
    # never by testing every document of the account against the rules.
    key = tuple_(document.environment_id, document.do_type, document.do_piece)
    return and_(tenant, key.in_(_owned_documents(viewer)))


def _owned_documents(viewer: Viewer) -> Select[int, int, str]:
    """Keys of the documents that are the user's: by their own representative, or by their
    customer's when theirs is none or unknown. Two index-driven branches, united."""
    document, customer, link = CommerceDocument, CommerceCustomer, CollaboratorLink
    key = (document.environment_id, document.do_type, document.do_piece)
    mine = and_(link.account_id == viewer.account_id, link.user_id == viewer.user_id)
    tenant = document.account_id == viewer.account_id
    own_rep = and_(link.environment_id == document.environment_id, link.co_no == document.co_no)
    by_own = select(*key).join(link, own_rep).where(mine, tenant)
    of_customer = and_(
        customer.account_id == document.account_id,
        customer.environment_id == document.environment_id,
        customer.ct_num == document.ct_num,
    )
    customer_rep = and_(
        link.environment_id == customer.environment_id, link.co_no == customer.co_no
    )
    known = exists().where(
        Collaborator.environment_id == document.environment_id,
        Collaborator.co_no == document.co_no,
    )
    by_customer = (
        select(*key)
        .join(customer, of_customer)
        .join(link, customer_rep)
        .where(mine, tenant, or_(document.co_no.is_(None), ~known))
    )
    return select(union(by_own, by_customer).subquery())
