"""Reading users the way SCIM sees them: every user of the account, except those a SCIM DELETE
hid, with the userName and externalId their identity provider gave them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from seatbridge.apikeys.scim import ScimIdentity
from seatbridge.directory.models import CollaboratorLink, User, UserStatus
from seatbridge.web.scim import errors

MAX_ID = 2_147_483_647


@dataclass(frozen=True, slots=True)
class ScimView:
    user: User
    identity: ScimIdentity | None
    linked: bool

    @property
    def user_name(self) -> str:
        return self.identity.user_name if self.identity else self.user.email

    @property
    def active(self) -> bool:
        """`active` says whether the user holds a seat: a user awaiting review does not yet."""
        return UserStatus(self.user.status).holds_seat


def as_id(raw: int | str) -> int | None:
    """A database id from a SCIM id (a string), or None when it cannot be one."""
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > MAX_ID:
        return None
    return int(text)


def normalize_user_name(raw: str) -> str:
    """userName is case-insensitive (RFC 7643 §4.1): trimmed, NFC, lower-cased."""
    return unicodedata.normalize("NFC", raw.strip()).lower()


def get_view(session: Session, *, account_id: int, user_id: int | str) -> ScimView:
    """A user SCIM can see, or ScimUserNotFound (for another account's user too)."""
    wanted = as_id(user_id)
    found = (
        None
        if wanted is None
        else session.execute(_visible(account_id).where(User.id == wanted)).one_or_none()
    )
    if found is None:
        raise errors.ScimUserNotFound(user=user_id)
    return ScimView(user=found[0], identity=found[1], linked=bool(found[2]))


def search(
    session: Session,
    *,
    account_id: int,
    condition: ColumnElement[bool] | None,
    start_index: int,
    count: int,
) -> tuple[int, list[ScimView]]:
    """(totalResults, one page) in a stable order; `start_index` counts from 1.

    One statement: the page's users, their identity, whether they are linked, and the total (an
    uncorrelated scalar subquery, counted once over ids only, not a window over full rows).
    """
    query = _visible(account_id)
    if condition is not None:
        query = query.where(condition)
    counting = select(func.count()).select_from(query.with_only_columns(User.id).subquery())
    rows = session.execute(
        query.add_columns(counting.scalar_subquery().label("total"))
        .order_by(User.id)
        .offset(max(start_index, 1) - 1)
        .limit(count)
    ).all()
    if rows:
        total = int(rows[0][3])
    elif start_index > 1 or count == 0:
        # Past the end (or count=0, RFC 7644 §3.4.2.4): no row carries the total.
        total = session.scalar(counting) or 0
    else:
        total = 0
    return total, [ScimView(user=row[0], identity=row[1], linked=bool(row[2])) for row in rows]


def user_name_column() -> ColumnElement[str]:
    """The normalised userName, exactly as the `ix_user_account_scim_user_name` index has it:
    what SCIM named the user, else their e-mail."""
    return func.coalesce(User.scim_user_name, User.email_normalized)


def find_identity(
    session: Session, *, account_id: int, user_name_normalized: str
) -> ScimIdentity | None:
    return session.scalar(
        select(ScimIdentity).where(
            ScimIdentity.account_id == account_id,
            ScimIdentity.user_name_normalized == user_name_normalized,
        )
    )


def identity_of(session: Session, *, account_id: int, user_id: int) -> ScimIdentity | None:
    return session.scalar(
        select(ScimIdentity).where(
            ScimIdentity.account_id == account_id, ScimIdentity.user_id == user_id
        )
    )


def user_name_holder(session: Session, *, account_id: int, user_name_normalized: str) -> int | None:
    """The user whose userName this is: explicitly (a hidden user's too), or implicitly as the
    e-mail of a user that SCIM never named."""
    named = find_identity(session, account_id=account_id, user_name_normalized=user_name_normalized)
    if named is not None:
        return named.user_id
    return session.scalar(
        select(User.id).where(
            User.account_id == account_id, user_name_column() == user_name_normalized
        )
    )


def name_user(user: User, identity: ScimIdentity, user_name: str) -> None:
    """Give the user a SCIM userName: as sent on the identity, normalised on both rows (the
    user row's copy is what the filter index serves)."""
    identity.user_name = user_name.strip()
    identity.user_name_normalized = normalize_user_name(user_name)
    user.scim_user_name = identity.user_name_normalized


def _visible(account_id: int) -> Select[User, ScimIdentity, bool]:
    linked = (
        select(CollaboratorLink.id)
        .where(CollaboratorLink.account_id == account_id, CollaboratorLink.user_id == User.id)
        .exists()
    )
    return (
        select(User, ScimIdentity, linked.label("linked"))
        .outerjoin(
            ScimIdentity,
            and_(ScimIdentity.user_id == User.id, ScimIdentity.account_id == account_id),
        )
        .where(User.account_id == account_id, ScimIdentity.deleted_at.is_(None))
    )
