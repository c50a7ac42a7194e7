"""The review queue: what an admin sees and decides (link, SSM-only, dismiss, invite)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.directory import service as directory
from seatbridge.directory.models import User, UserStatus
from seatbridge.i18n import Text, _
from seatbridge.sync import cases, creation, errors
from seatbridge.sync.models import CaseKind, CaseStatus, Collaborator, ReviewCase

LINKABLE = {CaseKind.NO_MATCH, CaseKind.SEVERAL_MATCHES, CaseKind.SHARED_EMAIL}


def list_cases(
    session: Session, *, account_id: int, status: CaseStatus | None = CaseStatus.OPEN
) -> list[ReviewCase]:
    query = select(ReviewCase).where(ReviewCase.account_id == account_id)
    if status is not None:
        query = query.where(ReviewCase.status == status.value)
    return list(session.scalars(query.order_by(ReviewCase.opened_at, ReviewCase.id)))


def get_case(session: Session, *, account_id: int, case_id: int) -> ReviewCase:
    case = session.get(ReviewCase, case_id)
    if case is None or case.account_id != account_id:
        raise errors.CaseNotFound(case=case_id)
    return case


def resolve_link(
    session: Session,
    *,
    account_id: int,
    case_id: int,
    environment_id: int,
    co_no: int,
    actor: str,
    clock: Clock,
) -> ReviewCase:
    """Link the case's user to a collaborator; a user waiting for review is then invited.

    A shared-e-mail case without a user yet is settled the same way: the chosen collaborator is
    the address's owner and is invited (seats checked), linked to their CO_No; the other
    collaborators keep the address but cannot be invited with it, and later syncs follow the
    link instead of opening the case again.
    """
    case = _open(session, account_id, case_id)
    if CaseKind(case.kind) not in LINKABLE:
        raise errors.NotACandidate(co_no=co_no)
    if case.user_id is None:
        return _link_shared_address(session, case, environment_id, co_no, actor, clock)
    environment = session.get(Environment, environment_id)
    if environment is None or environment.account_id != account_id:
        raise errors.NotACandidate(co_no=co_no)
    row = session.scalar(
        select(Collaborator).where(
            Collaborator.environment_id == environment_id,
            Collaborator.co_no == co_no,
            Collaborator.deleted_at.is_(None),
        )
    )
    if row is None:
        raise errors.CollaboratorNotFound(co_no=co_no, environment=environment.name)
    cases.link_collaborator(
        session,
        environment=environment,
        co_no=co_no,
        user_id=case.user_id,
        actor=actor,
        reason=_("lié à la main (vérification n° {case})", case=case.id),
        clock=clock,
    )
    row.not_invitable = "already_user"
    _invite_if_waiting(session, account_id, case.user_id, actor, clock)
    return cases.close_case(
        session,
        account_id=account_id,
        case_id=case.id,
        resolution="linked",
        actor=actor,
        clock=clock,
        note=_("{environment} n° {co_no}", environment=environment.name, co_no=co_no),
    )


def _link_shared_address(
    session: Session, case: ReviewCase, environment_id: int, co_no: int, actor: str, clock: Clock
) -> ReviewCase:
    offered = {(c["environment_id"], c["co_no"]) for c in case.candidates}
    if CaseKind(case.kind) is not CaseKind.SHARED_EMAIL or (environment_id, co_no) not in offered:
        raise errors.NotACandidate(co_no=co_no)
    environment = session.get(Environment, environment_id)
    if environment is None or environment.account_id != case.account_id:
        raise errors.NotACandidate(co_no=co_no)
    row = session.scalar(
        select(Collaborator).where(
            Collaborator.environment_id == environment_id,
            Collaborator.co_no == co_no,
            Collaborator.deleted_at.is_(None),
        )
    )
    if row is None:
        raise errors.CollaboratorNotFound(co_no=co_no, environment=environment.name)
    if row.not_invitable == "shared_email":
        row.not_invitable = None  # the admin chose them: the shared address is now theirs
    (created,) = creation.create_from_picks(
        session,
        account_id=case.account_id,
        picks=[(environment_id, co_no)],
        actor=actor,
        clock=clock,
        source="admin",
    )
    case.user_id = created.user.id
    return cases.close_case(
        session,
        account_id=case.account_id,
        case_id=case.id,
        resolution="linked",
        actor=actor,
        clock=clock,
        note=_("{environment} n° {co_no}", environment=environment.name, co_no=co_no),
    )


def wait(
    session: Session, *, account_id: int, case_id: int, actor: str, clock: Clock
) -> ReviewCase:
    """ "Attendre": the admin will correct Sage 100; the case stays open (the next sync that sees
    the correction settles it) and says who chose to wait, and since when."""
    case = _open(session, account_id, case_id)
    since = clock.now()
    case.detail = {**case.detail, "waiting_by": actor, "waiting_since": since.isoformat()}
    audit.record(
        session,
        account_id=account_id,
        actor=actor,
        action="review.wait",
        subject_type="review_case",
        subject_id=case.id,
        after={"waiting_since": since.isoformat()},
    )
    return case


def resolve_ssm_only(
    session: Session, *, account_id: int, case_id: int, actor: str, clock: Clock
) -> ReviewCase:
    """Confirm a user who has no Sage 100 collaborator: they are invited without a link."""
    return _settle(
        session,
        account_id,
        case_id,
        {CaseKind.NO_MATCH, CaseKind.SEVERAL_MATCHES},
        "ssm_only",
        actor,
        clock,
        invite=True,
        note=_("confirmé comme utilisateur SSM uniquement"),
    )


def resolve_invite(
    session: Session, *, account_id: int, case_id: int, actor: str, clock: Clock
) -> ReviewCase:
    """A linked user who waited for a seat: invite them now that one is free."""
    return _settle(
        session,
        account_id,
        case_id,
        {CaseKind.AWAITING_SEAT},
        "invited",
        actor,
        clock,
        invite=True,
    )


def dismiss(
    session: Session, *, account_id: int, case_id: int, actor: str, clock: Clock
) -> ReviewCase:
    """Close a shared-e-mail or e-mail-collision case without linking (the admin fixes Sage)."""
    return _settle(
        session,
        account_id,
        case_id,
        {CaseKind.SHARED_EMAIL, CaseKind.EMAIL_COLLISION},
        "dismissed",
        actor,
        clock,
        invite=False,
    )


def _settle(
    session: Session,
    account_id: int,
    case_id: int,
    kinds: set[CaseKind],
    resolution: str,
    actor: str,
    clock: Clock,
    *,
    invite: bool,
    note: Text | None = None,
) -> ReviewCase:
    case = _open(session, account_id, case_id)
    if CaseKind(case.kind) not in kinds or (invite and case.user_id is None):
        raise errors.NotACandidate(co_no="—")
    if invite and case.user_id is not None:
        _invite_if_waiting(session, account_id, case.user_id, actor, clock)
    return cases.close_case(
        session,
        account_id=account_id,
        case_id=case.id,
        resolution=resolution,
        actor=actor,
        clock=clock,
        note=note,
    )


def _open(session: Session, account_id: int, case_id: int) -> ReviewCase:
    case = get_case(session, account_id=account_id, case_id=case_id)
    if case.status != CaseStatus.OPEN.value:
        raise errors.CaseAlreadyResolved(case=case_id, resolution=case.resolution)
    return case


def _invite_if_waiting(
    session: Session, account_id: int, user_id: int, actor: str, clock: Clock
) -> None:
    user = session.get(User, user_id)
    if user is not None and user.status == UserStatus.PENDING_REVIEW.value:
        directory.put_in_invited(
            session, account_id=account_id, user_ids=[user_id], actor=actor, clock=clock
        )
