"""Users: creation, invitation state, re-activation, deactivation, role and home environment.

Every change of status goes through `_transition`, which moves the seat counters in the same
transaction (seatbridge.accounts.seats) and guards each row with a conditional UPDATE, so two
concurrent requests can never both take a seat for the same person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.accounts import seats
from seatbridge.accounts.errors import EnvironmentNotFound
from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.db.base import table_of
from seatbridge.db.engine import rows_changed
from seatbridge.directory import errors
from seatbridge.directory.emails import EmailProblem, check_email, normalize_email
from seatbridge.directory.models import Role, User, UserStatus
from seatbridge.directory.queries import UserQuery, all_users
from seatbridge.i18n import _

CHUNK = 500

PROBLEM_TEXT = {
    EmailProblem.MISSING: _("adresse vide"),
    EmailProblem.SEVERAL: _("plusieurs adresses dans le même champ"),
    EmailProblem.INVALID: _("format non valide"),
}


@dataclass(frozen=True, slots=True)
class NewUser:
    email: str
    first_name: str | None = None
    last_name: str | None = None
    function: str | None = None
    phone: str | None = None
    mobile: str | None = None
    role: Role = Role.SALESREP
    home_environment_id: int | None = None
    locale: str = "fr"
    ssm_only: bool = False  # never linked to Sage 100 by e-mail (an admin's explicit choice)


def create_users(
    session: Session,
    *,
    account_id: int,
    people: Sequence[NewUser],
    source: str,
    actor: str,
    clock: Clock,
    status: UserStatus | None = None,
    statuses: Sequence[UserStatus] | None = None,
) -> list[User]:
    """Create users in one `status` (or one of `statuses` each); all-or-nothing, seats included
    for those whose status holds one. One INSERT per batch of rows, whatever their number."""
    if statuses is None:
        if status is None:
            raise TypeError("create_users needs status or statuses")
        statuses = [status] * len(people)
    if len(statuses) != len(people):
        raise ValueError("one status per person")
    normalized = [_valid_email(person.email) for person in people]
    duplicates = [email for email, n in Counter(normalized).items() if n > 1]
    if duplicates:
        raise errors.EmailAlreadyUsed(email=duplicates[0])
    existing = session.scalar(
        select(User.email).where(
            User.account_id == account_id, User.email_normalized.in_(normalized)
        )
    )
    if existing is not None:
        raise errors.EmailAlreadyUsed(email=existing)
    _check_environments(session, account_id, {p.home_environment_id for p in people})
    wanted = Counter(
        person.home_environment_id
        for person, status_ in zip(people, statuses, strict=True)
        if status_.holds_seat
    )
    if wanted:
        seats.claim(session, account_id=account_id, seats=wanted, today=clock.today())
    now = clock.now()
    rows = [
        {
            "account_id": account_id,
            "email": person.email.strip(),
            "email_normalized": email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "function": person.function,
            "phone": person.phone,
            "mobile": person.mobile,
            "role": person.role.value,
            "status": status_.value,
            "home_environment_id": person.home_environment_id,
            "locale": person.locale,
            "source": source,
            "ssm_only": person.ssm_only,
            "created_at": now,
            "updated_at": now,
        }
        for person, email, status_ in zip(people, normalized, statuses, strict=True)
    ]
    # One executemany, then the rows read back by their unique e-mail: the ORM would insert
    # row by row on SQLite (it needs each new id back in order).
    session.flush()
    session.execute(insert(table_of(User)), rows)
    found: dict[str, User] = {}
    for start in range(0, len(normalized), CHUNK):
        found |= {
            user.email_normalized: user
            for user in session.scalars(
                select(User).where(
                    User.account_id == account_id,
                    User.email_normalized.in_(normalized[start : start + CHUNK]),
                )
            )
        }
    users = [found[email] for email in normalized]
    audit.record_many(
        session,
        [
            {
                "account_id": account_id,
                "actor": actor,
                "action": "user.create",
                "subject_type": "user",
                "subject_id": user.id,
                "after": _snapshot(user),
            }
            for user in users
        ],
    )
    return users


def create_owner(
    session: Session, *, account_id: int, person: NewUser, actor: str, clock: Clock
) -> User:
    """The account's first admin: invited (a set-password link follows) and holding a seat."""
    email = _valid_email(person.email)
    owner = User(
        account_id=account_id,
        email=person.email.strip(),
        email_normalized=email,
        first_name=person.first_name,
        last_name=person.last_name,
        role=Role.ADMIN.value,
        status=UserStatus.INVITED.value,
        locale=person.locale,
        source="owner",
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    session.add(owner)
    seats.hold_owner_seat(session, account_id=account_id)
    session.flush()
    _audit(session, owner, actor, "user.create", None, _snapshot(owner))
    return owner


def invite_users(
    session: Session, *, account_id: int, people: Sequence[NewUser], actor: str, clock: Clock
) -> list[User]:
    """Create users who hold a seat from now on, waiting to accept their invitation."""
    return create_users(
        session,
        account_id=account_id,
        people=people,
        status=UserStatus.INVITED,
        source="admin",
        actor=actor,
        clock=clock,
    )


def reactivate_users(
    session: Session, *, account_id: int, user_ids: Iterable[int], actor: str, clock: Clock
) -> list[User]:
    """Give disabled users their seat back (active if they had accepted, invited otherwise)."""
    users = _load(session, account_id, user_ids)
    targets: dict[int, UserStatus] = {}
    for user in users:
        if user.status != UserStatus.DISABLED:
            raise errors.InvalidTransition(
                user=user.email, status=user.status, action=_("réactiver")
            )
        targets[user.id] = UserStatus.ACTIVE if user.activated_at else UserStatus.INVITED
    _transition(session, account_id, users, targets, actor, clock, "user.reactivate")
    return users


def deactivate_users(
    session: Session, *, account_id: int, user_ids: Iterable[int], actor: str, clock: Clock
) -> list[User]:
    """Disable users and free their seats; disabling a disabled user changes nothing."""
    users = [u for u in _load(session, account_id, user_ids) if u.status != UserStatus.DISABLED]
    targets = dict.fromkeys((user.id for user in users), UserStatus.DISABLED)
    _transition(session, account_id, users, targets, actor, clock, "user.deactivate")
    return users


def put_in_invited(
    session: Session, *, account_id: int, user_ids: Iterable[int], actor: str, clock: Clock
) -> list[User]:
    """Users waiting for review become invited (a seat is taken), e.g. once an admin decides."""
    users = _load(session, account_id, user_ids)
    for user in users:
        if user.status != UserStatus.PENDING_REVIEW:
            raise errors.InvalidTransition(user=user.email, status=user.status, action=_("inviter"))
    targets = dict.fromkeys((user.id for user in users), UserStatus.INVITED)
    _transition(session, account_id, users, targets, actor, clock, "user.invite")
    return users


def mark_active(session: Session, *, account_id: int, user_id: int, clock: Clock) -> User:
    """An invited user accepted (set a password): the seat is already theirs."""
    (user,) = _load(session, account_id, [user_id])
    if user.status not in (UserStatus.INVITED, UserStatus.ACTIVE):
        raise errors.InvalidTransition(user=user.email, status=user.status, action=_("activer"))
    if user.status == UserStatus.INVITED:
        _transition(
            session,
            account_id,
            [user],
            {user.id: UserStatus.ACTIVE},
            user.email,
            clock,
            "user.accept",
        )
    return user


def change_role(
    session: Session, *, account_id: int, user_id: int, role: str, actor: str, clock: Clock
) -> User:
    try:
        new_role = Role(role)
    except ValueError:
        raise errors.InvalidRole(role=role) from None
    (user,) = _load(session, account_id, [user_id])
    if user.activated_at is None:
        raise errors.RoleBeforeAcceptance(user=user.email)
    before = user.role
    user.role = new_role.value
    user.updated_at = clock.now()
    _audit(session, user, actor, "user.role", {"role": before}, {"role": new_role.value})
    session.flush()
    return user


def set_home_environment(
    session: Session,
    *,
    account_id: int,
    user_id: int,
    environment_id: int | None,
    actor: str,
    clock: Clock,
) -> User:
    """Move a user's home environment; a seat-holding user needs room under the new cap."""
    (user,) = _load(session, account_id, [user_id])
    _check_environments(session, account_id, {environment_id})
    old = user.home_environment_id
    if old == environment_id:
        return user
    if UserStatus(user.status).holds_seat:
        moved = session.execute(
            update(User)
            .where(User.id == user.id, User.home_environment_id.is_not_distinct_from(old))
            .values(home_environment_id=environment_id, updated_at=clock.now())
            .execution_options(synchronize_session=False)
        )
        if rows_changed(moved) != 1:
            raise errors.ConcurrentChange(user=user.email)
        seats.move(session, account_id=account_id, source=old, target=environment_id)
    else:
        user.home_environment_id = environment_id
    session.flush()
    session.refresh(user)
    _audit(session, user, actor, "user.home", {"home": old}, {"home": environment_id})
    return user


def get_user(session: Session, *, account_id: int, user_id: int) -> User:
    (user,) = _load(session, account_id, [user_id])
    return user


def find_user_by_email(session: Session, *, account_id: int, email: str) -> User | None:
    return session.scalar(
        select(User).where(
            User.account_id == account_id, User.email_normalized == normalize_email(email)
        )
    )


def list_users(
    session: Session, *, account_id: int, status: UserStatus | None = None
) -> list[User]:
    """Every user in a status (or all), in name order (`directory.queries`)."""
    query = UserQuery(status=status.value if status is not None else None)
    return all_users(session, account_id=account_id, query=query)


def _transition(
    session: Session,
    account_id: int,
    users: Sequence[User],
    targets: dict[int, UserStatus],
    actor: str,
    clock: Clock,
    action: str,
) -> None:
    claims: Counter[int | None] = Counter()
    releases: Counter[int | None] = Counter()
    now = clock.now()
    for user in sorted(users, key=lambda u: u.id):  # one lock order: no deadlocks
        old, new = UserStatus(user.status), targets[user.id]
        values: dict[str, object] = {"status": new.value, "updated_at": now}
        if new == UserStatus.ACTIVE and user.activated_at is None:
            values["activated_at"] = now
        if new == UserStatus.DISABLED:
            values["disabled_at"] = now
        changed = session.execute(
            update(User)
            .where(User.id == user.id, User.account_id == account_id, User.status == old.value)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if rows_changed(changed) != 1:
            raise errors.ConcurrentChange(user=user.email)
        if new.holds_seat and not old.holds_seat:
            claims[user.home_environment_id] += 1
        elif old.holds_seat and not new.holds_seat:
            releases[user.home_environment_id] += 1
    seats.claim(session, account_id=account_id, seats=claims, today=clock.today())
    seats.release(session, account_id=account_id, seats=releases)
    for user in users:
        before = user.status
        session.refresh(user)
        _audit(session, user, actor, action, {"status": before}, {"status": user.status})
    session.flush()


def _load(session: Session, account_id: int, user_ids: Iterable[int]) -> list[User]:
    wanted = list(dict.fromkeys(user_ids))
    found = {
        user.id: user
        for user in session.scalars(
            select(User)
            .where(User.account_id == account_id, User.id.in_(wanted))
            .execution_options(populate_existing=True)
        )
    }
    missing = [user_id for user_id in wanted if user_id not in found]
    if missing:
        raise errors.UserNotFound(user=missing[0])
    return [found[user_id] for user_id in wanted]


def _check_environments(session: Session, account_id: int, ids: set[int | None]) -> None:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return
    found = set(
        session.scalars(
            select(Environment.id).where(
                Environment.account_id == account_id, Environment.id.in_(wanted)
            )
        )
    )
    if missing := wanted - found:
        raise EnvironmentNotFound(environment=min(missing))


def _valid_email(raw: str) -> str:
    check = check_email(raw)
    if check.problem is not None or check.normalized is None:
        problem = check.problem or EmailProblem.INVALID
        raise errors.InvalidEmail(email=raw, reason=PROBLEM_TEXT[problem])
    return check.normalized


def _snapshot(user: User) -> dict[str, object]:
    return {
        "email": user.email,
        "status": user.status,
        "role": user.role,
        "home_environment_id": user.home_environment_id,
    }


def _audit(
    session: Session,
    user: User,
    actor: str,
    action: str,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
) -> None:
    audit.record(
        session,
        account_id=user.account_id,
        actor=actor,
        action=action,
        subject_type="user",
        subject_id=user.id,
        before=before,
        after=after,
    )
