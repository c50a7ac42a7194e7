"""Where an account stands in its activation: which step comes next, and whether it is over.

The wizard runs once per account. It is over once its admin sent the first invitations (or chose
to invite nobody yet): an `activation.finish` audit event says who and when. An account whose
people were invited by another path (the CLI, the API) is in use too and skips the wizard.
"""

from __future__ import annotations

import enum

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.accounts.models import Account, Environment
from seatbridge.audit.models import AuditEvent
from seatbridge.directory.models import User
from seatbridge.sync.models import RunStatus, SyncRun

FINISH_ACTION = "activation.finish"
OWNER_SOURCE = "owner"


class Step(enum.IntEnum):
    CODE = 1
    COMPANIES = 2
    SYNC = 3
    INVITE = 4
    SEND = 5


def is_finished(session: Session, *, account_id: int) -> bool:
    finished = session.scalar(
        select(
            exists().where(AuditEvent.account_id == account_id, AuditEvent.action == FINISH_ACTION)
        )
    )
    in_use = session.scalar(
        select(exists().where(User.account_id == account_id, User.source != OWNER_SOURCE))
    )
    return bool(finished or in_use)


def next_step(session: Session, *, account: Account) -> Step:
    """The first step not done yet (the steps before it can still be revisited)."""
    if account.license_serial is None:
        return Step.CODE
    environments = session.scalars(
        select(Environment.id).where(Environment.account_id == account.id)
    ).all()
    if not environments:
        return Step.COMPANIES
    synced = set(
        session.scalars(
            select(SyncRun.environment_id).where(
                SyncRun.account_id == account.id, SyncRun.status == RunStatus.SUCCEEDED.value
            )
        )
    )
    if not set(environments) <= synced:
        return Step.SYNC
    return Step.INVITE


def mark_finished(session: Session, *, account_id: int, actor: str, invited: int) -> None:
    audit.record(
        session,
        account_id=account_id,
        actor=actor,
        action=FINISH_ACTION,
        subject_type="account",
        subject_id=account_id,
        after={"invited": invited},
    )
