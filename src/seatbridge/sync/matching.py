"""Rule 17's matching: the unlinked collaborators that have an e-mail, the evidence that a
collaborator is a person, and the candidates ranked for a manual verification. The use case that
creates users with it is `seatbridge.onboarding.create_users` (engine: `sync/creation.py`)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge.directory import service as directory
from seatbridge.directory.emails import normalize_email
from seatbridge.directory.models import CollaboratorLink
from seatbridge.sync.models import Collaborator

TOP_CANDIDATES = 5
CHUNK = 500  # IN lists stay far below SQL Server's 2,100 parameters


def unlinked_by_email(
    session: Session, account_id: int, emails: Iterable[str]
) -> dict[str, list[Collaborator]]:
    """Live collaborators not linked to anyone, by normalised e-mail (one query per 500)."""
    found: dict[str, list[Collaborator]] = {}
    wanted = sorted(set(emails))
    for start in range(0, len(wanted), CHUNK):
        for row in _unlinked_collaborators(session, account_id, wanted[start : start + CHUNK]):
            found.setdefault(row.email_normalized or "", []).append(row)
    return found


def unlinked_collaborators(session: Session, account_id: int) -> list[Collaborator]:
    """Every live collaborator not linked to anyone: the pool candidates are ranked from."""
    return _unlinked_collaborators(session, account_id, None)


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
    session: Session,
    account_id: int,
    person: directory.NewUser,
    pool: Sequence[Collaborator] | None = None,
) -> list[dict[str, Any]]:
    """Unlinked live collaborators ranked by name and e-mail similarity (score 0..1, shown).

    `pool` lets a batch load the unlinked collaborators once instead of once per person.
    """
    scored = []
    rows = pool if pool is not None else _unlinked_collaborators(session, account_id, None)
    for row in rows:
        found = evidence(
            row, first_name=person.first_name, last_name=person.last_name, email=person.email
        )
        scored.append((found.score, row))
    scored.sort(key=lambda item: (-item[0], item[1].environment_id, item[1].co_no))
    return [candidate(row, score) for score, row in scored[:TOP_CANDIDATES] if score > 0]


def _unlinked_collaborators(
    session: Session, account_id: int, emails: Sequence[str] | None
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
    if emails is not None:
        query = query.where(Collaborator.email_normalized.in_(emails))
    return list(session.scalars(query.order_by(Collaborator.environment_id, Collaborator.co_no)))


def candidate(row: Collaborator, score: float) -> dict[str, Any]:
    """A proposed collaborator as a review case stores it."""
    return {
        "environment_id": row.environment_id,
        "co_no": row.co_no,
        "name": " ".join(p for p in (row.first_name, row.last_name) if p),
        "email": row.email,
        "function": row.function,
        "score": score,
    }


def mastered(
    person: directory.NewUser, environment_id: int, master: Collaborator
) -> directory.NewUser:
    """The person with Sage 100's details of their collaborator (Sage masters them, rule 18)."""
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
