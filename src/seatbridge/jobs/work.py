"""The jobs themselves: thin, id-based, idempotent; each calls one service."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.errors import SeatbridgeError
from seatbridge.invitations.models import AuthToken
from seatbridge.invitations.service import welcome_hook
from seatbridge.jobs.orchestrator import SyncRequest, synchronise
from seatbridge.mail import deliver_outbox
from seatbridge.mail.factory import transport_from_settings
from seatbridge.sync.errors import SyncAlreadyRunning

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
    with sessions() as session:
        environment = session.get(Environment, environment_id)
        if environment is None:
            return "gone"
        account_id = environment.account_id
    try:
        result = synchronise(
            sessions,
            SyncRequest(
                account_id=account_id, environment_id=environment_id, actor=f"schedule ({owner})"
            ),
            holder=owner,
            settings=settings,
            clock=clock,
            on_invited=welcome_hook(settings=settings, clock=clock, actor="schedule"),
        )
    except SyncAlreadyRunning:
        return "busy"
    except SeatbridgeError as failure:
        log.warning("sync of environment %s failed: %s", environment_id, failure.message("fr"))
        return "failed"
    except Exception:
        log.exception("sync of environment %s crashed", environment_id)
        raise
    return result.status


def deliver_mail(sessions: sessionmaker[Session], *, settings: Settings, clock: Clock) -> int:
    return deliver_outbox(sessions, transport_from_settings(settings), clock).sent


def purge_expired_tokens(sessions: sessionmaker[Session], *, clock: Clock) -> int:
    """Delete set-password and reset links that expired more than a day ago (they are useless)."""
    with sessions.begin() as session:
        result = session.execute(
            delete(AuthToken).where(AuthToken.expires_at < clock.now() - dt.timedelta(days=1))
        )
        return int(getattr(result, "rowcount", 0) or 0)
