"""The jobs themselves: thin, id-based, idempotent; each calls one service."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.accounts.sources import DirectSources, open_direct_reader
from seatbridge.clock import Clock
from seatbridge.commerce.replication import replicate
from seatbridge.config import Settings
from seatbridge.errors import SeatbridgeError
from seatbridge.invitations.models import AuthToken
from seatbridge.invitations.service import welcome_hook
from seatbridge.jobs import schedule
from seatbridge.mail import deliver_outbox
from seatbridge.mail.factory import transport_from_settings
from seatbridge.sync.models import RunStatus
from seatbridge.sync.runner import run_sync
from seatbridge.sync.source import Sage100Source

log = logging.getLogger("seatbridge.jobs")


def sync_environment(
    sessions: sessionmaker[Session],
    *,
    environment_id: int,
    owner: str,
    settings: Settings,
    clock: Clock,
) -> str:
    """Sync one environment if nobody else is: collaborators, then customers and documents."""
    lease = dt.timedelta(seconds=settings.jobs.lease_seconds)
    if not schedule.claim(
        sessions, environment_id=environment_id, owner=owner, now=clock.now(), lease=lease
    ):
        return "busy"
    status, error = "failed", None
    try:
        with sessions() as session:
            environment = session.get_one(Environment, environment_id)
            session.expunge(environment)
        account_id, url = environment.account_id, environment.source_url
        if url is None:
            raise ValueError(f"environment {environment_id} has no Sage 100 URL")
        keeper = schedule.LeaseKeeper(
            sessions, environment_id=environment_id, owner=owner, lease=lease, now=clock.now
        )
        with keeper, open_direct_reader(url, DirectSources.from_settings(settings)) as reader:
            outcome = run_sync(
                sessions,
                account_id=account_id,
                environment_id=environment_id,
                source=Sage100Source(reader),
                actor=f"schedule ({owner})",
                clock=clock,
                on_invited=welcome_hook(settings=settings, clock=clock, actor="schedule"),
            )
            status = outcome.status.value
            if outcome.status is RunStatus.SUCCEEDED:
                # Portfolios and sales history follow the collaborators (rule 15).
                replicate(sessions, environment=environment, reader=reader, clock=clock)
    except SeatbridgeError as failure:
        error = failure.message("fr")
        log.warning("sync of environment %s failed: %s", environment_id, error)
    except Exception as failure:
        error = f"{type(failure).__name__}: {failure}"
        log.exception("sync of environment %s crashed", environment_id)
        raise
    finally:
        schedule.finish(
            sessions,
            environment_id=environment_id,
            owner=owner,
            now=clock.now(),
            status=status,
            error=error,
            settings=settings.jobs,
        )
    return status


def deliver_mail(sessions: sessionmaker[Session], *, settings: Settings, clock: Clock) -> int:
    return deliver_outbox(sessions, transport_from_settings(settings), clock).sent


def purge_expired_tokens(sessions: sessionmaker[Session], *, clock: Clock) -> int:
    """Delete set-password and reset links that expired more than a day ago (they are useless)."""
    with sessions.begin() as session:
        result = session.execute(
            delete(AuthToken).where(AuthToken.expires_at < clock.now() - dt.timedelta(days=1))
        )
        return int(getattr(result, "rowcount", 0) or 0)
