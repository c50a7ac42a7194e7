"""API keys: create (the token is shown once), list, revoke, and authenticate a request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.accounts import service as accounts
from seatbridge.apikeys import errors
from seatbridge.apikeys.models import ApiKey
from seatbridge.apikeys.scopes import Scope, ScopeKind, parse_scope
from seatbridge.apikeys.tokens import hash_secret, new_token, parse_token, secret_matches
from seatbridge.clock import Clock

MAX_NAME = 100
# Record the last use at most this often: a write per request would serialise SQLite.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A new key and its token: the only moment the token exists outside the caller's hands."""

    key: ApiKey
    token: str


@dataclass(frozen=True, slots=True)
class ApiCaller:
    """Who a request authenticated as: everything it does is scoped to `account_id`."""

    key_id: int
    public_id: str
    account_id: int
    name: str
    scope: Scope

    @property
    def actor(self) -> str:
        """How the audit log names the caller (never the secret)."""
        return f"api:{self.public_id}"


def create_key(
    session: Session, *, account_id: int, name: str, scope: str, actor: str, clock: Clock
) -> IssuedKey:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise errors.InvalidKeyName(limit=MAX_NAME)
    parsed = parse_scope(scope)
    accounts.get_account(session, account_id)
    if parsed.kind is ScopeKind.CONNECTOR and parsed.environment_id is not None:
        accounts.get_environment(session, account_id=account_id, reference=parsed.environment_id)
    token = new_token()
    key = ApiKey(
        account_id=account_id,
        public_id=token.public_id,
        secret_hash=hash_secret(token.secret),
        name=name,
        scope_kind=parsed.kind.value,
        environment_id=parsed.environment_id,
        created_at=clock.now(),
        created_by=actor,
    )
    session.add(key)
    session.flush()
    audit.record(
        session,
        account_id=account_id,
        actor=actor,
        action="api_key.create",
        subject_type="api_key",
        subject_id=key.public_id,
        after={"name": name, "scope": str(parsed)},
    )
    return IssuedKey(key=key, token=str(token))


def list_keys(session: Session, *, account_id: int) -> list[ApiKey]:
    return list(
        session.scalars(
            select(ApiKey)
            .where(ApiKey.account_id == account_id)
            .order_by(ApiKey.created_at, ApiKey.id)
        )
    )


def get_key(session: Session, *, account_id: int, key_id: str) -> ApiKey:
    key = session.scalar(
        select(ApiKey).where(ApiKey.account_id == account_id, ApiKey.public_id == key_id.strip())
    )
    if key is None:
        raise errors.ApiKeyNotFound(key=key_id)
    return key


def revoke_key(
    session: Session, *, account_id: int, key_id: str, actor: str, clock: Clock
) -> ApiKey:
    """Revoke a key for good (revoking it again changes nothing)."""
    key = get_key(session, account_id=account_id, key_id=key_id)
    if key.revoked_at is not None:
        return key
    key.revoked_at = clock.now()
    key.revoked_by = actor
    audit.record(
        session,
        account_id=account_id,
        actor=actor,
        action="api_key.revoke",
        subject_type="api_key",
        subject_id=key.public_id,
        before={"name": key.name, "scope": str(key.scope)},
    )
    session.flush()
    return key


def authenticate(session: Session, *, token: str, clock: Clock) -> ApiCaller:
    """The caller a bearer token stands for; refuses anything but a live key of ours."""
    parsed = parse_token(token) if len(token) <= 200 else None
    if parsed is None:
        raise errors.ApiKeyRejected()
    key = session.scalar(select(ApiKey).where(ApiKey.public_id == parsed.public_id))
    if key is None or not secret_matches(parsed.secret, key.secret_hash) or not key.active:
        raise errors.ApiKeyRejected()
    now = clock.now()
    session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == key.id,
            or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < now - TOUCH_INTERVAL),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return ApiCaller(
        key_id=key.id,
        public_id=key.public_id,
        account_id=key.account_id,
        name=key.name,
        scope=key.scope,
    )
