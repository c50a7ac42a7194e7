"""SCIM provisioning: what an identity provider's create, replace and delete do to the directory.

Creation follows rule 17 (`onboarding.create_users`, the use case every edge calls): a user
whose e-mail matches one collaborator is linked and invited; otherwise they wait for a manual
verification and hold no
seat. `active` goes through the directory's own transitions, seat checks included. Sage 100
masters the names, function and e-mail of linked users (rule 18): SCIM writes to those are
ignored for them, never refused (a refusal would leave the identity provider retrying forever).
No FastAPI here: the SCIM edge parses and serialises.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge import audit, onboarding
from seatbridge.accounts.models import Account
from seatbridge.apikeys.scim import ScimIdentity
from seatbridge.clock import Clock
from seatbridge.config import Settings
from seatbridge.directory import service as directory
from seatbridge.directory.emails import normalize_email
from seatbridge.directory.models import User, UserStatus
from seatbridge.invitations import service as invitations
from seatbridge.sync import reviews
from seatbridge.sync.models import CaseKind, CaseStatus, ReviewCase
from seatbridge.web.scim import errors, seats
from seatbridge.web.scim.profiles import (
    ScimProfile,
    check_limits,
    email_of,
    locale_of,
    update_profile,
)
from seatbridge.web.scim.views import (
    ScimView,
    get_view,
    hide,
    identity_of,
    name_user,
    normalize_user_name,
    user_name_holder,
)

SOURCE = "scim"
UNVERIFIED = (CaseKind.NO_MATCH.value, CaseKind.SEVERAL_MATCHES.value)


def create(
    session: Session,
    *,
    account_id: int,
    profile: ScimProfile,
    actor: str,
    clock: Clock,
    settings: Settings,
) -> ScimView:
    """Create a user (rule 17), or bring back the one a SCIM DELETE hid (same id, history)."""
    check_limits(profile)
    wanted = normalize_user_name(profile.user_name)
    email = email_of(profile)
    hidden = _hidden_identity(session, account_id, wanted, normalize_email(email))
    if hidden is not None:
        hide(session.get_one(User, hidden.user_id), hidden, None)
        session.flush()
        return replace(
            session,
            account_id=account_id,
            user_id=hidden.user_id,
            profile=profile,
            actor=actor,
            clock=clock,
            settings=settings,
        )
    if user_name_holder(session, account_id=account_id, user_name_normalized=wanted):
        raise errors.UserNameTaken(user_name=profile.user_name)
    if directory.find_user_by_email(session, account_id=account_id, email=email):
        raise errors.EmailTaken(email=email)
    person = directory.NewUser(
        email=email,
        first_name=profile.first_name,
        last_name=profile.last_name,
        function=profile.title,
        locale=locale_of(profile.locale),
    )
    (created,) = onboarding.create_users(
        session,
        account_id=account_id,
        people=[person],
        actor=actor,
        clock=clock,
        settings=settings,
        source=SOURCE,
        send_welcome=False,  # sent below, once `active` is applied
    )
    user = created.user
    account = session.get_one(Account, account_id)
    if created.case is not None and account.scim_confirm_unmatched:
        # The admin chose to trust the identity provider: confirmed as an SSM-only user now.
        reviews.resolve_ssm_only(
            session, account_id=account_id, case_id=created.case.id, actor=actor, clock=clock
        )
    identity = ScimIdentity(
        account_id=account_id,
        user_id=user.id,
        external_id=profile.external_id,
        email_type=profile.email_type,
        email_primary=profile.email_primary,
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    name_user(user, identity, profile.user_name)
    session.add(identity)
    session.flush()
    _audit_identity(session, user, actor, None, identity)
    seats.set_active(
        session,
        user,
        profile.active is not False,
        unverified=False,
        actor=actor,
        clock=clock,
        settings=settings,
    )
    invitations.welcome(
        session, account_id=account_id, users=[user], actor=actor, clock=clock, settings=settings
    )
    return get_view(session, account_id=account_id, user_id=user.id)


def replace(
    session: Session,
    *,
    account_id: int,
    user_id: int,
    profile: ScimProfile,
    actor: str,
    clock: Clock,
    settings: Settings,
    explicit_active: bool = False,
) -> ScimView:
    """Make a user what the profile says (PUT, and PATCH once its operations are applied).

    `explicit_active`: the request named `active` itself (a PATCH operation on it). Asking then
    for a user awaiting verification to be active is refused with AwaitingVerification, nothing
    changed, rather than answered `active: false` in silence. A PUT always carries `active`
    (Okta sends `true` with every profile update), so there the rule stays quiet: the status
    simply does not move.
    """
    check_limits(profile)
    view = get_view(session, account_id=account_id, user_id=user_id)
    user = view.user
    if explicit_active and profile.active is True and _held_for_review(session, user):
        raise errors.AwaitingVerification(user=view.user_name)
    wanted = normalize_user_name(profile.user_name)
    holder = user_name_holder(session, account_id=account_id, user_name_normalized=wanted)
    if holder is not None and holder != user.id:
        raise errors.UserNameTaken(user_name=profile.user_name)
    identity = view.identity
    before = _identity_snapshot(identity) if identity else None
    if identity is None:
        identity = ScimIdentity(account_id=account_id, user_id=user.id, created_at=clock.now())
        session.add(identity)
    name_user(user, identity, profile.user_name)
    identity.external_id = profile.external_id
    if profile.email is not None:
        identity.email_type = profile.email_type
        identity.email_primary = profile.email_primary
    if before != _identity_snapshot(identity):
        identity.updated_at = clock.now()
        session.flush()
        _audit_identity(session, user, actor, before, identity)
    if not view.linked:
        update_profile(session, user, profile, actor, clock)
    seats.set_active(
        session,
        user,
        profile.active,
        unverified=_awaiting_verification(session, account_id, user.id),
        actor=actor,
        clock=clock,
        settings=settings,
    )
    return get_view(session, account_id=account_id, user_id=user.id)


def delete(session: Session, *, account_id: int, user_id: int, actor: str, clock: Clock) -> None:
    """Disable the user (their seat is freed, their history kept) and hide them from SCIM."""
    view = get_view(session, account_id=account_id, user_id=user_id)
    user = view.user
    seats.deactivate(session, user, actor=actor, clock=clock)
    identity = view.identity or identity_of(session, account_id=account_id, user_id=user.id)
    if identity is None:
        identity = ScimIdentity(account_id=account_id, user_id=user.id, created_at=clock.now())
        name_user(user, identity, user.email)
        session.add(identity)
    hide(user, identity, clock.now())
    identity.updated_at = clock.now()
    session.flush()
    audit.record(
        session,
        account_id=account_id,
        actor=actor,
        action="user.scim_delete",
        subject_type="user",
        subject_id=user.id,
        after={"user_name": identity.user_name, "status": user.status},
    )


def _held_for_review(session: Session, user: User) -> bool:
    status = UserStatus(user.status)
    return status is UserStatus.PENDING_REVIEW or (
        status is UserStatus.DISABLED and _awaiting_verification(session, user.account_id, user.id)
    )


def _awaiting_verification(session: Session, account_id: int, user_id: int) -> bool:
    return (
        session.scalar(
            select(ReviewCase.id)
            .where(
                ReviewCase.account_id == account_id,
                ReviewCase.user_id == user_id,
                ReviewCase.status == CaseStatus.OPEN.value,
                ReviewCase.kind.in_(UNVERIFIED),
            )
            .limit(1)
        )
        is not None
    )


def _hidden_identity(
    session: Session, account_id: int, user_name: str, email: str
) -> ScimIdentity | None:
    """The identity a SCIM DELETE hid that this creation brings back (same userName or e-mail)."""
    return session.scalar(
        select(ScimIdentity)
        .join(User, User.id == ScimIdentity.user_id)
        .where(
            ScimIdentity.account_id == account_id,
            ScimIdentity.deleted_at.is_not(None),
            (ScimIdentity.user_name_normalized == user_name) | (User.email_normalized == email),
        )
        .order_by(ScimIdentity.user_name_normalized != user_name, ScimIdentity.id)
        .limit(1)
    )


def _identity_snapshot(identity: ScimIdentity) -> dict[str, object]:
    return {
        "user_name": identity.user_name,
        "external_id": identity.external_id,
        "email_type": identity.email_type,
        "email_primary": identity.email_primary,
    }


def _audit_identity(
    session: Session,
    user: User,
    actor: str,
    before: dict[str, object] | None,
    identity: ScimIdentity,
) -> None:
    audit.record(
        session,
        account_id=user.account_id,
        actor=actor,
        action="user.scim_identity",
        subject_type="user",
        subject_id=user.id,
        before=before,
        after=_identity_snapshot(identity),
    )
