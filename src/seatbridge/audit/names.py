"""People, not ids: the names an admin reads for actors, users, collaborators and environments.

Each lookup is one query per kind, scoped to the account, for everything a page shows at once.
A name that can no longer be found (a deleted user) falls back to what was recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from seatbridge.accounts.models import Environment
from seatbridge.apikeys.models import ApiKey
from seatbridge.directory.models import User
from seatbridge.i18n import Text, _
from seatbridge.sync.models import Collaborator

API_PREFIX = "api:"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    secondary: str  # the e-mail of a user; "n° 12 · BIJOU" for a collaborator


@dataclass
class People:
    users: dict[int, Person] = field(default_factory=dict)
    collaborators: dict[tuple[int, int], Person] = field(default_factory=dict)
    environments: dict[int, str] = field(default_factory=dict)

    def user(self, user_id: int | None) -> Person | None:
        return self.users.get(user_id) if user_id is not None else None

    def collaborator(self, environment_id: int, co_no: int | None) -> Person | None:
        if co_no is None:
            return None
        found = self.collaborators.get((environment_id, co_no))
        if found is not None:
            return found
        where = self.environments.get(environment_id, "")
        return Person(str(_("collaborateur n° {co_no}", co_no=co_no)), where)

    def who(self, environment_id: int, co_no: int | None, user_id: int | None) -> Text | str:
        """One line for the CLI: "Léa MARTIN (n° 12 · BIJOU)", or the user's name and e-mail."""
        person = self.collaborator(environment_id, co_no) or self.user(user_id)
        if person is None:
            return _("utilisateur inconnu") if user_id is not None else ""
        return f"{person.name} ({person.secondary})" if person.secondary else person.name


def people(
    session: Session,
    *,
    account_id: int,
    collaborators: Iterable[tuple[int, int]] = (),
    user_ids: Iterable[int] = (),
    environment_ids: Iterable[int] = (),
) -> People:
    found = People()
    wanted = {(environment, co) for environment, co in collaborators if co is not None}
    environments = set(environment_ids) | {environment for environment, _co in wanted}
    if environments:
        found.environments = dict(
            session.execute(
                select(Environment.id, Environment.name).where(
                    Environment.account_id == account_id, Environment.id.in_(environments)
                )
            ).all()
        )
    if wanted:
        for row in session.scalars(
            select(Collaborator).where(
                Collaborator.account_id == account_id,
                tuple_(Collaborator.environment_id, Collaborator.co_no).in_(list(wanted)),
            )
        ):
            name = " ".join(part for part in (row.first_name, row.last_name) if part)
            where = found.environments.get(row.environment_id, "")
            secondary = f"n° {row.co_no} · {where}" if where else f"n° {row.co_no}"
            found.collaborators[(row.environment_id, row.co_no)] = Person(
                name or f"n° {row.co_no}", secondary
            )
    ids = {user_id for user_id in user_ids if user_id is not None}
    if ids:
        for user in session.scalars(
            select(User).where(User.account_id == account_id, User.id.in_(ids))
        ):
            found.users[user.id] = Person(user.display_name, user.email)
    return found


def actor_labels(
    session: Session, *, account_id: int, actors: Iterable[str]
) -> dict[str, Text | str]:
    """How the audit log and run pages name who did something (see `actor_label`)."""
    wanted = set(actors)
    keys = {
        API_PREFIX + key.public_id: key
        for key in session.scalars(
            select(ApiKey).where(
                ApiKey.account_id == account_id,
                ApiKey.public_id.in_(
                    [a.removeprefix(API_PREFIX) for a in wanted if a.startswith(API_PREFIX)]
                ),
            )
        )
    }
    emails = {a.lower() for a in wanted if "@" in a}
    users = {
        user.email_normalized: user.display_name
        for user in session.scalars(
            select(User).where(User.account_id == account_id, User.email_normalized.in_(emails))
        )
    }
    environment_names = dict(
        session.execute(
            select(Environment.id, Environment.name).where(Environment.account_id == account_id)
        ).all()
    )
    return {
        actor: actor_label(actor, keys=keys, users=users, environments=environment_names)
        for actor in wanted
    }


def actor_label(
    actor: str,
    *,
    keys: dict[str, ApiKey],
    users: dict[str, str],
    environments: dict[int, str],
) -> Text | str:
    """ "Synchronisation planifiée", "Émilie Rodriguez", "Connecteur BIJOU", "API : clé « CRM »"."""
    if actor.startswith("schedule"):
        return _("Synchronisation planifiée")
    if actor == "cli":
        return _("Ligne de commande")
    if actor == "demo":
        return _("Démonstration")
    if actor.startswith(API_PREFIX):
        key = keys.get(actor)
        if key is None:
            return _("API : clé {key}", key=actor.removeprefix(API_PREFIX))
        if key.scope_kind == "connector" and key.environment_id in environments:
            return _("Connecteur {environment}", environment=environments[key.environment_id])
        if key.scope_kind == "scim":
            return _("SCIM : clé « {name} »", name=key.name)
        return _("API : clé « {name} »", name=key.name)
    return users.get(actor.lower(), actor)
