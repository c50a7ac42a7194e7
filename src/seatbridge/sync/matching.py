"""Users created in SSM (rule 17): linked at once to the one matching collaborator, otherwise
held for a manual verification with ranked candidates."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.directory import service as directory
from seatbridge.directory.emails import normalize_email
from seatbridge.directory.models import CollaboratorLink, User, UserStatus
from seatbridge.i18n import _
from seatbridge.sync import cases
from seatbridge.sync.models import CaseKind, Collaborator, ReviewCase

TOP_CANDIDATES = 5


@dataclass(frozen=True)
class Creation:
    user: User
    links: tuple[tuple[int, int], ...]  # (environment id, CO_No)
    case: ReviewCase | None


def create_user(
    session: Session,
    *,
    account_id: int,
    person: directory.NewUser,
    actor: str,
    clock: Clock,
    source: str = "admin",
) -> Creation:
    """Create a user the way rule 17 says: link by exact e-mail, or open a review case."""
    email = normalize_email(person.email)
    matches = _unlinked_collaborators(session, account_id, email)
    per_environment: dict[int, list[Collaborator]] = {}
    for row in matches:
        per_environment.setdefault(row.environment_id, []).append(row)
    if matches and all(len(rows) == 1 for rows in per_environment.values()):
        home = min(per_environment)
        (master,) = per_environment[home]  # Sage 100 masters the person's details (rule 18)
        (user,) = directory.create_users(
            session,
            account_id=account_id,
            people=[_mastered(person, home, master)],
            status=UserStatus.INVITED,
            source=source,
            actor=actor,
            clock=clock,
        )
        links = []
        for environment_id, (row,) in sorted(per_environment.items()):
            environment = session.get_one(Environment, environment_id)
            cases.link_collaborator(
                session,
                environment=environment,
                co_no=row.co_no,
                user_id=user.id,
                actor=actor,
                reason=_("même adresse e-mail à la création"),
                clock=clock,
            )
            row.not_invitable = "already_user"
            links.append((environment_id, row.co_no))
        return Creation(user=user, links=tuple(links), case=None)
    (user,) = directory.create_users(
        session,
        account_id=account_id,
        people=[person],
        status=UserStatus.PENDING_REVIEW,
        source=source,
        actor=actor,
        clock=clock,
    )
    if matches:
        kind, candidates = CaseKind.SEVERAL_MATCHES, [_candidate(r, 1.0) for r in matches]
    else:
        kind, candidates = CaseKind.NO_MATCH, rank_candidates(session, account_id, person)
    case = cases.open_case(
        session,
        account_id=account_id,
        kind=kind,
        user_id=user.id,
        environment_id=None,
        actor=actor,
        clock=clock,
        email=email,
        candidates=candidates,
    )
    return Creation(user=user, links=(), case=case)


@dataclass(frozen=True)
class Evidence:
    """Why a collaborator may be the person: the score shown (0..1) and what it is made of."""

    score: float
    same_email: bool  # the very same address (normalised)
    name: float | None  # name similarity, when both names are known
    email: float  # similarity of the addresses' local parts


def evidence(
    row: Collaborator, *, first_name: str | None, last_name: str | None, email: str | None
) -> Evidence:
    """How well a Sage 100 collaborator matches a person (an SSM user, or an address)."""
    name = _fold(" ".join(p for p in (first_name, last_name) if p))
    normalized = normalize_email(email) if email else ""
    local = _fold(normalized.split("@", 1)[0])
    their_name = _fold(" ".join(p for p in (row.first_name, row.last_name) if p))
    their_local = _fold((row.email or "").split("@", 1)[0])
    same = bool(normalized) and row.email_normalized == normalized
    email_score = (
        1.0 if same else SequenceMatcher(None, local, their_local).ratio() if their_local else 0.0
    )
    name_score = None
    if name and their_name:
        name_score = max(
            SequenceMatcher(None, name, their_name).ratio(),
            SequenceMatcher(None, name, " ".join(reversed(their_name.split()))).ratio(),
        )
    score = email_score if name_score is None else 0.6 * name_score + 0.4 * email_score
    if same:
        score = max(score, 0.9)  # the address is the identifier (rule 2): it outweighs names
    return Evidence(round(score, 3), same, name_score, email_score)


def rank_candidates(
    session: Session, account_id: int, person: directory.NewUser
) -> list[dict[str, Any]]:
    """Unlinked live collaborators ranked by name and e-mail similarity (score 0..1, shown)."""
    scored = []
    for row in _unlinked_collaborators(session, account_id, None):
        found = evidence(
            row, first_name=person.first_name, last_name=person.last_name, email=person.email
        )
        scored.append((found.score, row))
    scored.sort(key=lambda item: (-item[0], item[1].environment_id, item[1].co_no))
    return [_candidate(row, score) for score, row in scored[:TOP_CANDIDATES] if score > 0]


def _unlinked_collaborators(
    session: Session, account_id: int, email: str | None
) -> list[Collaborator]:
    linked = select(CollaboratorLink.id).where(
        CollaboratorLink.environment_id == Collaborator.environment_id,
        CollaboratorLink.co_no == Collaborator.co_no,
    )
    query = select(Collaborator).where(
        Collaborator.account_id == account_id,
        Collaborator.deleted_at.is_(None),
        ~linked.exists(),
    )
    if email is not None:
        query = query.where(Collaborator.email_normalized == email)
    return list(session.scalars(query.order_by(Collaborator.environment_id, Collaborator.co_no)))


def _candidate(row: Collaborator, score: float) -> dict[str, Any]:
    return {
        "environment_id": row.environment_id,
        "co_no": row.co_no,
        "name": " ".join(p for p in (row.first_name, row.last_name) if p),
        "email": row.email,
        "function": row.function,
        "score": score,
    }


def _mastered(
    person: directory.NewUser, environment_id: int, master: Collaborator
) -> directory.NewUser:
    return replace(
        person,
        home_environment_id=environment_id,
        first_name=master.first_name,
        last_name=master.last_name,
        function=master.function,
        phone=master.phone,
        mobile=master.mobile,
    )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
