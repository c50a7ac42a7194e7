"""Reading users the way SCIM sees them: every user of the account, except those a SCIM DELETE
hid, with the userName and externalId their identity provider gave them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from seatbridge.apikeys.scim import ScimIdentity
from seatbridge.directory.emails import normalize_email
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


@dataclass(frozen=True, slots=True)
class Criteria:
    """The equality filters SCIM clients send, all of which must hold (`and`)."""

    user_name: str | None = None
    email: str | None = None
    external_id: str | None = None
    user_id: str | None = None
    matches_nothing: bool = False


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
    return _view(session, account_id, found[0], found[1])


def search(
    session: Session, *, account_id: int, criteria: Criteria, start_index: int, count: int
) -> tuple[int, list[ScimView]]:
    """(totalResults, one page) in a stable order; `start_index` counts from 1."""
    if criteria.matches_nothing:
        return 0, []
    query = _filtered(_visible(account_id), criteria)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(User.id).offset(max(start_index, 1) - 1).limit(count)
    ).all()
    return total, [_view(session, account_id, user, identity) for user, identity in rows]


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
    """The user whose userName this is: explicitly, or implicitly as the e-mail of a user that
    SCIM never named."""
    named = find_identity(session, account_id=account_id, user_name_normalized=user_name_normalized)
    if named is not None:
        return named.user_id
    return session.scalar(
        select(User.id)
        .outerjoin(ScimIdentity, ScimIdentity.user_id == User.id)
        .where(
            User.account_id == account_id,
            User.email_normalized == normalize_email(user_name_normalized),
            ScimIdentity.id.is_(None),
        )
    )


def _visible(account_id: int) -> Select[User, ScimIdentity]:
    return (
        select(User, ScimIdentity)
        .outerjoin(
            ScimIdentity,
            and_(ScimIdentity.user_id == User.id, ScimIdentity.account_id == account_id),
        )
        .where(User.account_id == account_id, ScimIdentity.deleted_at.is_(None))
    )


def _filtered(query: Select[User, ScimIdentity], criteria: Criteria) -> Select[User, ScimIdentity]:
    if criteria.user_name is not None:
        wanted = normalize_user_name(criteria.user_name)
        query = query.where(
            or_(
                ScimIdentity.user_name_normalized == wanted,
                and_(ScimIdentity.id.is_(None), User.email_normalized == wanted),
            )
        )
    if criteria.email is not None:
        query = query.where(User.email_normalized == normalize_email(criteria.email))
    if criteria.external_id is not None:
        query = query.where(ScimIdentity.external_id == criteria.external_id)
    if criteria.user_id is not None:
        query = query.where(User.id == (as_id(criteria.user_id) or -1))
    return query


def _view(session: Session, account_id: int, user: User, identity: ScimIdentity | None) -> ScimView:
    linked = session.scalar(
        select(CollaboratorLink.id)
        .where(CollaboratorLink.account_id == account_id, CollaboratorLink.user_id == user.id)
        .limit(1)
    )
    return ScimView(user=user, identity=identity, linked=linked is not None)
