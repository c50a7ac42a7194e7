"""Helpers shared by the invitation, auth and web tests."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Account
from seatbridge.clock import FixedClock
from seatbridge.config import AuthSettings, Settings
from seatbridge.directory.models import User
from seatbridge.directory.service import NewUser
from seatbridge.mail.models import OutboxMessage
from tests.support.factories import make_account
from tests.support.people import invite_ssm_only

# argon2 at its cheapest: tests only; production keeps the RFC 9106 defaults.
FAST_AUTH: dict[str, Any] = {"hash_time_cost": 1, "hash_memory_kib": 8, "hash_parallelism": 1}
LINK = re.compile(r"https?://\S+/auth/(?:set|reset)-password/[A-Za-z0-9_-]+")


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    auth = AuthSettings(**(FAST_AUTH | overrides.pop("auth", {})))
    values: dict[str, Any] = {"demo": True, "base_url": "http://testserver"} | overrides
    return Settings(data_dir=data_dir, auth=auth, **values)


def invite(
    sessions: sessionmaker[Session],
    settings: Settings,
    clock: FixedClock,
    *emails: str,
    account: Account | None = None,
    locale: str = "fr",
    **account_options: Any,
) -> tuple[Account, list[User]]:
    with sessions.begin() as session:
        if account is None:
            account = make_account(session, **account_options)
        users = invite_ssm_only(
            session,
            account_id=account.id,
            people=[
                NewUser(email=e, first_name="Léa", last_name="Martin", locale=locale)
                for e in emails
            ],
            actor="admin@test",
            clock=clock,
            settings=settings,
        )
    return account, users


def messages_to(session: Session, recipient: str) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id)
        )
    )


def link_in(text: str) -> str:
    found = LINK.search(text)
    assert found, text
    return found.group(0)


def token_in(text: str) -> str:
    return link_in(text).rsplit("/", 1)[1]


def latest_token(sessions: sessionmaker[Session], recipient: str) -> str:
    with sessions() as session:
        return token_in(messages_to(session, recipient)[-1].text_body)
