"""Sign-in: count the attempt, verify (always one argon2 verification), check access, open a
session.

Two short transactions, so that the argon2 verification (tens of milliseconds) never holds the
store's write lock: count the attempt (refused when throttled) and read the candidates, verify
outside any transaction, then open the session. The attempt is counted before the password is
checked, so concurrent attempts cannot slip past the limit (docs/security.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Account
from seatbridge.auth import errors, throttle
from seatbridge.auth.access import ensure_may_sign_in
from seatbridge.auth.passwords import Passwords
from seatbridge.auth.sessions import open_session
from seatbridge.clock import Clock
from seatbridge.config import AuthSettings
from seatbridge.directory.emails import normalize_email
from seatbridge.directory.models import User


@dataclass(frozen=True, slots=True)
class SignInResult:
    user: User
    session_token: str


@dataclass(frozen=True, slots=True)
class _Candidate:
    user_id: int
    account_id: int
    password_hash: str | None


def sign_in(
    session_factory: sessionmaker[Session],
    *,
    email: str,
    password: str,
    client_address: str,
    clock: Clock,
    settings: AuthSettings,
    passwords: Passwords,
    account_id: int | None = None,
) -> SignInResult:
    """Sign a person in, or raise an AuthError that the sign-in page can show."""
    normalized = normalize_email(email)
    keys = throttle.sign_in_keys(normalized, client_address, settings)
    with session_factory.begin() as session:
        # Counted before the password is checked: concurrent attempts cannot slip past.
        throttle.count_attempt(session, keys, clock=clock, settings=settings)
        query = select(User.id, User.account_id, User.password_hash).where(
            User.email_normalized == normalized
        )
        if account_id is not None:
            query = query.where(User.account_id == account_id)
        candidates = [_Candidate(*row) for row in session.execute(query.order_by(User.account_id))]
    if not candidates:
        passwords.verify(None, password)  # same cost as a known e-mail
    matches = [c for c in candidates if passwords.verify(c.password_hash, password)]
    if not matches:
        raise errors.SignInFailed()  # already counted
    if len(matches) > 1:
        with session_factory() as session:
            names = session.execute(
                select(Account.id, Account.name)
                .where(Account.id.in_([m.account_id for m in matches]))
                .order_by(Account.name)
            ).all()
        raise errors.ChooseAccount(accounts=[(row.id, row.name) for row in names])
    (chosen,) = matches
    if chosen.password_hash is None:  # verify() is never True without a hash
        raise errors.SignInFailed()
    rehashed = passwords.hash(password) if passwords.needs_rehash(chosen.password_hash) else None
    with session_factory.begin() as session:
        user = session.scalars(
            select(User).where(User.account_id == chosen.account_id, User.id == chosen.user_id)
        ).one()
        account = session.get_one(Account, chosen.account_id)
        ensure_may_sign_in(user, account, clock.today())
        if rehashed is not None:
            # Conditional: a password changed meanwhile is not overwritten by the old one.
            session.execute(
                update(User)
                .where(User.id == user.id, User.password_hash == chosen.password_hash)
                .values(password_hash=rehashed)
                .execution_options(synchronize_session=False)
            )
        throttle.clear_attempts(session, keys)
        token = open_session(session, user=user, clock=clock, settings=settings)
    return SignInResult(user=user, session_token=token)
