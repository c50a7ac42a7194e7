"""What an identity provider says a user is: the profile read from a SCIM payload, its checks,
and the details it may set on users no Sage 100 collaborator masters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.clock import Clock
from seatbridge.directory import errors as directory_errors
from seatbridge.directory import service as directory
from seatbridge.directory.emails import EmailProblem, check_email, normalize_email
from seatbridge.directory.models import User
from seatbridge.web.scim import errors

# Column sizes: longer values are refused rather than cut.
LIMITS = {
    "userName": 320,
    "externalId": 255,
    "emails.type": 20,
    "name.givenName": 100,
    "name.familyName": 100,
    "title": 100,
}


@dataclass(frozen=True, slots=True)
class ScimProfile:
    """What the identity provider wants the user to be (a POST, a PUT, or a patched state)."""

    user_name: str
    email: str | None = None
    email_type: str | None = None
    email_primary: bool | None = None
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    external_id: str | None = None
    # None leaves the status as it is (a PUT or PATCH that does not mention `active`).
    active: bool | None = True
    locale: str | None = None


def update_profile(
    session: Session, user: User, profile: ScimProfile, actor: str, clock: Clock
) -> None:
    """Names, function and e-mail of a user no collaborator masters."""
    wanted = {
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "function": profile.title,
    }
    if profile.email is not None:
        normalized = valid_email(profile.email)
        if normalized != user.email_normalized:
            other = directory.find_user_by_email(
                session, account_id=user.account_id, email=normalized
            )
            if other is not None and other.id != user.id:
                raise errors.EmailTaken(email=profile.email.strip())
        wanted["email"] = profile.email.strip()
    changes = {
        key: (getattr(user, key), value)
        for key, value in wanted.items()
        if getattr(user, key) != value
    }
    if not changes:
        return
    for key, (_, value) in changes.items():
        setattr(user, key, value)
        if key == "email" and value is not None:
            user.email_normalized = normalize_email(value)
    user.updated_at = clock.now()
    session.flush()
    audit.record(
        session,
        account_id=user.account_id,
        actor=actor,
        action="user.scim_update",
        subject_type="user",
        subject_id=user.id,
        before={key: old for key, (old, _) in changes.items()},
        after={key: new for key, (_, new) in changes.items()},
    )


def email_of(profile: ScimProfile) -> str:
    if profile.email:
        return profile.email.strip()
    if check_email(profile.user_name).ok:
        return profile.user_name.strip()
    raise errors.MissingEmail()


def valid_email(raw: str) -> str:
    check = check_email(raw)
    if check.problem is not None or check.normalized is None:
        reason = directory.PROBLEM_TEXT[check.problem or EmailProblem.INVALID]
        raise directory_errors.InvalidEmail(email=raw, reason=reason)
    return check.normalized


def check_limits(profile: ScimProfile) -> None:
    values = {
        "userName": profile.user_name,
        "externalId": profile.external_id,
        "emails.type": profile.email_type,
        "name.givenName": profile.first_name,
        "name.familyName": profile.last_name,
        "title": profile.title,
    }
    if not profile.user_name.strip() or len(profile.user_name) > LIMITS["userName"]:
        raise errors.InvalidUserName(limit=LIMITS["userName"])
    for attribute, value in values.items():
        if value is not None and len(value) > LIMITS[attribute]:
            raise errors.InvalidAttribute(attribute=attribute, limit=LIMITS[attribute])


def locale_of(preferred: str | None) -> str:
    language = (preferred or "").replace("_", "-").split("-")[0].lower()
    return "en" if language == "en" else "fr"
