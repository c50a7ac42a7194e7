"""Creating users and linking them as rule 17 says: the engine behind `seatbridge.onboarding`
(which adds the welcome e-mails) and behind the sync's auto-invite rule.

Each person is:

* linked at once when their e-mail is that of exactly one unlinked collaborator (per company;
  the same e-mail in two companies links both, rule 24), and invited (a seat), Sage 100's
  details mastering theirs (rule 18);
* otherwise held for a manual verification (none or several matches): `pending_review`, no seat;
* or, on an admin's explicit and audited "SSM only" choice, invited without any link, now or by
  a later sync (`User.ssm_only`).

A batch is all-or-nothing (seats included, checked by the database) and set-based: the users,
links, cases and audit rows of N people cost a constant number of statements per 500 people.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.directory import service as directory
from seatbridge.directory.emails import normalize_email
from seatbridge.directory.models import User, UserStatus
from seatbridge.i18n import _
from seatbridge.sync import cases, errors, matching
from seatbridge.sync.models import CaseKind, Collaborator, NotInvitable, ReviewCase

CHUNK = 500
LINK_REASON = _("même adresse e-mail à la création")
PICK_REASON = _("invité depuis Sage 100")


class Outcome(enum.StrEnum):
    LINKED = "linked"  # invited, linked to their collaborator(s)
    REVIEW = "pending_review"  # waiting for a manual verification
    SSM_ONLY = "ssm_only"  # invited without a link, on an admin's explicit choice


@dataclass(frozen=True, slots=True)
class SsmOnly:
    """An admin's explicit choice of a user without a Sage 100 link (audited with the reason)."""

    reason: str = ""


@dataclass(frozen=True)
class Creation:
    user: User
    links: tuple[tuple[int, int], ...]  # (environment id, CO_No)
    case: ReviewCase | None

    @property
    def outcome(self) -> Outcome:
        if self.case is not None:
            return Outcome.REVIEW
        return Outcome.LINKED if self.links else Outcome.SSM_ONLY


@dataclass
class _Plan:
    person: directory.NewUser
    email: str
    targets: dict[int, Collaborator] = field(default_factory=dict)  # environment id -> row
    review: CaseKind | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)
    declined: list[Collaborator] = field(default_factory=list)  # matches an SSM-only user skips
    picked: bool = False


def create_people(
    session: Session,
    *,
    account_id: int,
    people: Sequence[directory.NewUser],
    actor: str,
    clock: Clock,
    source: str,
    ssm_only: SsmOnly | None = None,
) -> list[Creation]:
    """Create people as rule 17 says (or SSM-only when the admin chose it), in input order."""
    emails = [normalize_email(person.email) for person in people]
    matches = matching.unlinked_by_email(session, account_id, emails)
    plans = [_Plan(person=p, email=e) for p, e in zip(people, emails, strict=True)]
    pool: list[Collaborator] | None = None
    for plan in plans:
        rows = matches.get(plan.email, [])
        if ssm_only is not None:
            plan.declined = rows
            continue
        per_environment: dict[int, list[Collaborator]] = {}
        for row in rows:
            per_environment.setdefault(row.environment_id, []).append(row)
        if rows and all(len(found) == 1 for found in per_environment.values()):
            plan.targets = {env: found for env, (found,) in per_environment.items()}
        elif rows:
            plan.review = CaseKind.SEVERAL_MATCHES
            plan.candidates = [matching.candidate(row, 1.0) for row in rows]
        else:
            if pool is None:
                pool = matching.unlinked_collaborators(session, account_id)
            plan.review = CaseKind.NO_MATCH
            plan.candidates = matching.rank_candidates(session, account_id, plan.person, pool)
    return _create(
        session,
        account_id=account_id,
        plans=plans,
        actor=actor,
        clock=clock,
        source=source,
        ssm_only=ssm_only,
    )


def create_from_picks(
    session: Session,
    *,
    account_id: int,
    picks: Iterable[tuple[int, int]],
    actor: str,
    clock: Clock,
    source: str,
) -> list[Creation]:
    """Invite collaborators picked (by an admin, or the auto-invite rule) as (environment id,
    CO_No): all-or-nothing, seats checked, linked. The same person picked in two companies (one
    e-mail) becomes one user linked to both; an unlinked collaborator elsewhere with that
    e-mail is linked too, as rule 17 would at creation."""
    wanted = list(dict.fromkeys(picks))
    environments = _environments(session, account_id)
    rows: dict[tuple[int, int], Collaborator] = {}
    by_environment: dict[int, list[int]] = {}
    for environment_id, co_no in wanted:
        by_environment.setdefault(environment_id, []).append(co_no)
    for environment_id, co_nos in by_environment.items():
        for start in range(0, len(co_nos), CHUNK):
            for row in session.scalars(
                select(Collaborator).where(
                    Collaborator.account_id == account_id,
                    Collaborator.environment_id == environment_id,
                    Collaborator.co_no.in_(co_nos[start : start + CHUNK]),
                )
            ):
                rows[(row.environment_id, row.co_no)] = row
    plans: dict[str, _Plan] = {}
    for environment_id, co_no in wanted:
        picked = rows.get((environment_id, co_no))
        environment = environments.get(environment_id)
        if picked is None or environment is None:
            raise errors.CollaboratorNotFound(
                co_no=co_no, environment=environment.name if environment else environment_id
            )
        row = picked
        if row.not_invitable is not None or row.email is None or row.email_normalized is None:
            raise errors.NotInvitableCollaborator(
                co_no=co_no,
                name=_name(row),
                reason=NotInvitable(row.not_invitable or "no_email").label,
            )
        plan = plans.get(row.email_normalized)
        if plan is None:
            person = directory.NewUser(email=row.email, home_environment_id=environment_id)
            plan = plans[row.email_normalized] = _Plan(
                person=matching.mastered(person, environment_id, row),
                email=row.email_normalized,
                picked=True,
            )
        elif environment_id in plan.targets:
            # Two collaborators of one company share the e-mail: never resolved silently.
            raise errors.NotInvitableCollaborator(
                co_no=co_no, name=_name(row), reason=NotInvitable.SHARED_EMAIL.label
            )
        plan.targets[environment_id] = row
    others = matching.unlinked_by_email(session, account_id, plans)
    for email, plan in plans.items():
        per_environment: dict[int, list[Collaborator]] = {}
        for row in others.get(email, []):
            per_environment.setdefault(row.environment_id, []).append(row)
        for environment_id, found in per_environment.items():
            if environment_id not in plan.targets and len(found) == 1:
                plan.targets[environment_id] = found[0]
    return _create(
        session,
        account_id=account_id,
        plans=list(plans.values()),
        actor=actor,
        clock=clock,
        source=source,
        ssm_only=None,
    )


def _create(
    session: Session,
    *,
    account_id: int,
    plans: Sequence[_Plan],
    actor: str,
    clock: Clock,
    source: str,
    ssm_only: SsmOnly | None,
) -> list[Creation]:
    people = []
    for plan in plans:
        person = plan.person
        if plan.targets and not plan.picked:
            home = person.home_environment_id
            if home not in plan.targets:
                home = min(plan.targets)
            person = matching.mastered(person, home, plan.targets[home])
        if ssm_only is not None:
            person = replace(person, ssm_only=True)
        people.append(person)
    statuses = [
        UserStatus.PENDING_REVIEW if plan.review is not None else UserStatus.INVITED
        for plan in plans
    ]
    users = directory.create_users(
        session,
        account_id=account_id,
        people=people,
        statuses=statuses,
        source=source,
        actor=actor,
        clock=clock,
    )
    environments = _environments(session, account_id) if any(p.targets for p in plans) else {}
    links = [
        (environments[environment_id], row.co_no, user.id)
        for plan, user in zip(plans, users, strict=True)
        for environment_id, row in sorted(plan.targets.items())
    ]
    if links:
        cases.link_collaborators(
            session,
            links=links,
            actor=actor,
            reason=PICK_REASON if plans[0].picked else LINK_REASON,
            clock=clock,
        )
        for plan in plans:
            for row in plan.targets.values():
                row.not_invitable = "already_user"
    chosen: list[dict[str, Any]] = []
    created = []
    for plan, user in zip(plans, users, strict=True):
        case = None
        if plan.review is not None:
            case = cases.open_case(
                session,
                account_id=account_id,
                kind=plan.review,
                user_id=user.id,
                environment_id=None,
                actor=actor,
                clock=clock,
                email=plan.email,
                candidates=plan.candidates,
            )
        elif ssm_only is not None:
            chosen.append(
                {
                    "account_id": account_id,
                    "actor": actor,
                    "action": "user.ssm_only",
                    "subject_type": "user",
                    "subject_id": user.id,
                    "after": {
                        "reason": ssm_only.reason,
                        "collaborators_with_this_email": [
                            {"environment_id": row.environment_id, "co_no": row.co_no}
                            for row in plan.declined
                        ],
                    },
                }
            )
        targets = tuple((env, row.co_no) for env, row in sorted(plan.targets.items()))
        created.append(Creation(user=user, links=targets, case=case))
    audit.record_many(session, chosen)
    session.flush()
    return created


def _environments(session: Session, account_id: int) -> dict[int, Environment]:
    return {
        environment.id: environment
        for environment in session.scalars(
            select(Environment).where(Environment.account_id == account_id)
        )
    }


def _name(row: Collaborator) -> str:
    return " ".join(p for p in (row.first_name, row.last_name) if p) or f"n° {row.co_no}"
