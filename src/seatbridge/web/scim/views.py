"""Reading users the way SCIM sees them: every user of the account, except those a SCIM DELETE
hid, with the userName and externalId their identity provider gave them."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import find_tables

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

    One statement whose plan does not depend on table statistics (issue 18: right after a bulk
    load PostgreSQL has none, and a join over the account's users then went nested-loop over
    materialised rows, seconds per request): the page's ids come from user_account alone (its
    (account_id, id) index, or the userName expression index), the identity and link of those
    ids only are joined afterwards, and the total is a window count over the filtered ids (not
    over full rows: no link probe, no identity, for users outside the page).
    scim_identity is joined before the page only when the filter names one of its columns.
    """
    ids = _ids(account_id, condition)
    page = (
        ids.add_columns(func.count().over().label("total"))
        .order_by(User.id)
        .offset(max(start_index, 1) - 1)
        .limit(count)
        .subquery()
    )
    rows = session.execute(
        _with_details(account_id, select(User))
        .add_columns(page.c.total)
        .join(page, page.c.id == User.id)
        .order_by(User.id)
    ).all()
    if rows:
        total = int(rows[0][3])
    elif start_index > 1 or count == 0:
        # Past the end (or count=0, RFC 7644 §3.4.2.4): no row carries the total.
        total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
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


def hide(user: User, identity: ScimIdentity, moment: dt.datetime | None) -> None:
    """A SCIM DELETE hides the user (moment), a new POST of them shows them again (None); the
    user row's flag is what lists and filters read (no join needed)."""
    identity.deleted_at = moment
    user.scim_hidden = moment is not None


def name_user(user: User, identity: ScimIdentity, user_name: str) -> None:
    """Give the user a SCIM userName: as sent on the identity, normalised on both rows (the
    user row's copy is what the filter index serves)."""
    identity.user_name = user_name.strip()
    identity.user_name_normalized = normalize_user_name(user_name)
    user.scim_user_name = identity.user_name_normalized


def _ids(account_id: int, condition: ColumnElement[bool] | None) -> Select[int]:
    """The ids of the visible users a filter names (scim_identity joined only if it must be)."""
    ids = select(User.id).where(User.account_id == account_id, User.scim_hidden.is_(False))
    if condition is not None:
        if any(
            table.name == ScimIdentity.__tablename__
            for table in find_tables(condition, check_columns=True)
        ):
            ids = ids.outerjoin(ScimIdentity, ScimIdentity.user_id == User.id)
        ids = ids.where(condition)
    return ids


def _visible(account_id: int) -> Select[User, ScimIdentity, bool]:
    return _with_details(account_id, select(User)).where(
        User.account_id == account_id, User.scim_hidden.is_(False)
    )


def _with_details(account_id: int, query: Select[User]) -> Select[User, ScimIdentity, bool]:
    """The user with their identity (by the unique user_id index) and whether they are linked."""
    linked = (
        select(CollaboratorLink.id)
        .where(CollaboratorLink.account_id == account_id, CollaboratorLink.user_id == User.id)
        .exists()
    )
    return query.add_columns(ScimIdentity, linked.label("linked")).outerjoin(
        ScimIdentity, ScimIdentity.user_id == User.id
    )
