"""`explain`: why a user is linked or not, to which collaborator, since when, by whom."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge.accounts.models import Environment
from seatbridge.audit.models import AuditEvent
from seatbridge.audit.sentences import describe
from seatbridge.directory import errors as directory_errors
from seatbridge.directory.models import CollaboratorLink, User
from seatbridge.directory.service import find_user_by_email
from seatbridge.i18n import DEFAULT_LOCALE, Text, _, language, render
from seatbridge.sync.models import CASE_KIND_LABELS, Collaborator, ReviewCase

HISTORY = 20


def explain_user(
    session: Session, *, account_id: int, email: str, locale: str = DEFAULT_LOCALE
) -> dict[str, Any]:
    """What the edges show (JSON or a sentence), its texts in `locale`."""
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
                "reason": render(link.reason, locale),
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
        "summary": _summary(user, links, cases, locale).render(locale),
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
                "at": view.event.occurred_at.isoformat(),
                "actor": view.event.actor,
                "action": view.event.action,
                "description": view.sentence.render(locale),
                "before": view.event.before,
                "after": view.event.after,
            }
            for view in describe(session, account_id=account_id, events=history)
        ],
    }


def _summary(user: User, links: list[dict[str, Any]], cases: Any, locale: str) -> Text:
    if links:
        parts = [_link_part(link, locale) for link in links]
        joined = parts[0]
        for part in parts[1:]:
            joined = _("{first} ; {second}", first=joined, second=part)
        return _("{email} est {links}.", email=user.email, links=joined)
    waiting = [c for c in cases if c.status == "open"]
    if waiting:
        return _(
            "{email} n'est lié à aucun collaborateur : vérification manuelle n° {case} ouverte "
            "({kind}).",
            email=user.email,
            case=waiting[0].id,
            kind=Text(CASE_KIND_LABELS.get(waiting[0].kind, waiting[0].kind)),
        )
    if any(c.resolution == "ssm_only" for c in cases):
        return _(
            "{email} est un utilisateur SSM sans collaborateur Sage 100 (confirmé).",
            email=user.email,
        )
    return _("{email} n'est lié à aucun collaborateur Sage 100.", email=user.email)


def _link_part(link: dict[str, Any], locale: str) -> Text:
    day = dt.date.fromisoformat(link["linked_at"][:10])
    part = _(
        "lié au collaborateur n° {co_no} ({name}) de {environment} depuis le {day}, par {actor} "
        "({reason})",
        co_no=link["co_no"],
        name=link["collaborator"],
        environment=link["environment"],
        day=format_date(day, "long", locale=language(locale)),
        actor=link["linked_by"],
        reason=link["reason"],
    )
    if link["sage_state"] == "present":
        return part
    state = (
        _("supprimé dans Sage 100")
        if link["sage_state"] == "deleted"
        else _("en sommeil dans Sage 100")
    )
    return _("{link} — {state}", link=part, state=state)


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
        return "deleted"
    return "dormant" if row.dormant else "present"
