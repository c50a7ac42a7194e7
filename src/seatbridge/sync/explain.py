"""`explain`: why a user is linked or not, to which collaborator, since when, by whom."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge.accounts.models import Environment
from seatbridge.audit.models import AuditEvent
from seatbridge.directory import errors as directory_errors
from seatbridge.directory.models import CollaboratorLink, User
from seatbridge.directory.service import find_user_by_email
from seatbridge.sync.models import Collaborator, ReviewCase

HISTORY = 20


def explain_user(session: Session, *, account_id: int, email: str) -> dict[str, Any]:
    user = find_user_by_email(session, account_id=account_id, email=email)
    if user is None:
        raise directory_errors.UserNotFound(user=email)
    links = []
    for link, environment, row in session.execute(
        select(CollaboratorLink, Environment, Collaborator)
        .join(Environment, Environment.id == CollaboratorLink.environment_id)
        .outerjoin(
            Collaborator,
            (Collaborator.environment_id == CollaboratorLink.environment_id)
            & (Collaborator.co_no == CollaboratorLink.co_no),
        )
        .where(CollaboratorLink.account_id == account_id, CollaboratorLink.user_id == user.id)
        .order_by(CollaboratorLink.linked_at)
    ):
        links.append(
            {
                "environment": environment.name,
                "co_no": link.co_no,
                "collaborator": _name(row),
                "linked_at": link.linked_at.isoformat(),
                "linked_by": link.linked_by,
                "reason": link.reason,
                "sage_state": _state(row),
                "home": user.home_environment_id == environment.id,
            }
        )
    cases = session.scalars(
        select(ReviewCase)
        .where(ReviewCase.account_id == account_id, ReviewCase.user_id == user.id)
        .order_by(ReviewCase.opened_at)
    ).all()
    history = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.account_id == account_id,
            AuditEvent.subject_type == "user",
            AuditEvent.subject_id == str(user.id),
        )
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(HISTORY)
    ).all()
    return {
        "user": _user(user),
        "summary": _summary(user, links, cases),
        "links": links,
        "review_cases": [
            {
                "id": c.id,
                "kind": c.kind,
                "status": c.status,
                "opened_at": c.opened_at.isoformat(),
                "resolution": c.resolution,
                "resolved_by": c.resolved_by,
            }
            for c in cases
        ],
        "history": [
            {
                "at": e.occurred_at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "before": e.before,
                "after": e.after,
            }
            for e in history
        ],
    }


def _summary(user: User, links: list[dict[str, Any]], cases: Any) -> str:
    if links:
        parts = [
            f"lié au collaborateur n° {link['co_no']} ({link['collaborator']}) de "
            f"{link['environment']} depuis le {link['linked_at'][:10]}, par {link['linked_by']} "
            f"({link['reason']})"
            + ("" if link["sage_state"] == "present" else f" — {link['sage_state']} dans Sage 100")
            for link in links
        ]
        return f"{user.email} est " + " ; ".join(parts) + "."
    waiting = [c for c in cases if c.status == "open"]
    if waiting:
        return (
            f"{user.email} n'est lié à aucun collaborateur : vérification manuelle "
            f"n° {waiting[0].id} ouverte ({waiting[0].kind})."
        )
    if any(c.resolution == "ssm_only" for c in cases):
        return f"{user.email} est un utilisateur SSM sans collaborateur Sage 100 (confirmé)."
    return f"{user.email} n'est lié à aucun collaborateur Sage 100."


def _user(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.display_name,
        "role": user.role,
        "status": user.status,
        "source": user.source,
        "created_at": user.created_at.isoformat(),
    }


def _name(row: Collaborator | None) -> str:
    if row is None:
        return "?"
    return " ".join(p for p in (row.first_name, row.last_name) if p) or f"n° {row.co_no}"


def _state(row: Collaborator | None) -> str:
    if row is None or row.deleted_at is not None:
        return "supprimé"
    return "en sommeil" if row.dormant else "present"
