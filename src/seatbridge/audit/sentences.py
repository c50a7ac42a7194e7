"""Audit events as sentences: "Émilie Rodriguez a invité Léa Martin.", then what changed.

The log stores codes and ids (stable, filterable); this turns a page of events into what an
admin reads, in their language, with names instead of ids and French field labels.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seatbridge.accounts.models import Account
from seatbridge.apikeys.models import ApiKey
from seatbridge.audit.models import AuditEvent
from seatbridge.audit.names import People, actor_labels, people
from seatbridge.i18n import N_, Day, Text, _, from_json
from seatbridge.sync.models import CASE_KIND_LABELS
from seatbridge.sync.plan import FIELD_LABELS

ACTIONS = {
    "account.create": N_("{actor} a créé le compte {subject}."),
    "account.scim_confirm_unmatched": N_(
        "{actor} a confirmé les utilisateurs SCIM sans collaborateur Sage 100."
    ),
    "activation.finish": N_("{actor} a terminé l'activation du compte."),
    "api_key.create": N_("{actor} a créé la clé d'API {subject}."),
    "api_key.revoke": N_("{actor} a révoqué la clé d'API {subject}."),
    "environment.add": N_("{actor} a connecté l'environnement {subject}."),
    "environment.seat_cap": N_("{actor} a changé la limite de licences de {subject}."),
    "environment.cadences": N_("{actor} a changé les fréquences de synchronisation de {subject}."),
    "invitation.revoke": N_("{actor} a annulé l'invitation de {subject}."),
    "invitation.send": N_("{actor} a envoyé une invitation à {subject}."),
    "password-reset.send": N_("{actor} a envoyé un lien de nouveau mot de passe à {subject}."),
    "license.apply": N_("{actor} a appliqué un code d'activation."),
    "password.set": N_("{subject} a choisi son mot de passe."),
    "review.open": N_("{actor} a ouvert la vérification {subject}."),
    "review.resolve": N_("{actor} a réglé la vérification {subject}."),
    "review.wait": N_("{actor} a laissé la vérification {subject} en attente."),
    "user.accept": N_("{subject} a accepté son invitation."),
    "user.create": N_("{actor} a créé l'utilisateur {subject}."),
    "user.deactivate": N_("{actor} a désactivé {subject}."),
    "user.home": N_("{actor} a changé l'environnement principal de {subject}."),
    "user.invite": N_("{actor} a invité {subject}."),
    "user.link": N_("{actor} a lié {subject} à un collaborateur Sage 100."),
    "user.reactivate": N_("{actor} a réactivé {subject}."),
    "user.role": N_("{actor} a changé le rôle de {subject}."),
    "user.sage_update": N_("{actor} a mis à jour {subject} depuis Sage 100."),
    "user.scim_delete": N_("{actor} a supprimé {subject} (SCIM)."),
    "user.scim_identity": N_("{actor} a relié {subject} à son identité SCIM."),
    "user.scim_update": N_("{actor} a modifié {subject} (SCIM)."),
    "user.flag_dormant": N_("{actor} a signalé {subject} : en sommeil dans Sage 100."),
    "user.flag_deleted": N_("{actor} a signalé {subject} : supprimé dans Sage 100."),
    "user.flag_clear": N_("{actor} a levé le signalement de {subject} : de nouveau actif."),
}
UNKNOWN_ACTION = N_("{actor} : {action} ({subject}).")
SUBJECTS = {
    "review_case": N_("n° {id}"),
}
LABELS = {
    **FIELD_LABELS,
    "status": N_("Statut"),
    "role": N_("Rôle"),
    "name": N_("Nom"),
    "slug": N_("Identifiant"),
    "mode": N_("Mode"),
    "seat_cap": N_("Limite de licences"),
    "probe_seconds": N_("Recherche de changements (secondes)"),
    "sync_interval_minutes": N_("Synchronisation des changements (minutes)"),
    "full_sync_interval_hours": N_("Rapprochement complet (heures)"),
    "scope": N_("Accès"),
    "environment": N_("Environnement"),
    "environment_id": N_("Environnement"),
    "home_environment_id": N_("Environnement principal"),
    "co_no": N_("Collaborateur n°"),
    "reason": N_("Raison"),
    "label": N_("Raison"),
    "note": N_("Note"),
    "resolution": N_("Règlement"),
    "kind": N_("Type"),
    "user_id": N_("Utilisateur"),
    "user_email": N_("E-mail de l'utilisateur"),
    "collaborator_email": N_("E-mail du collaborateur"),
    "invited": N_("Invités"),
    "user_name": N_("Identifiant SCIM"),
    "edition": N_("Édition"),
    "seats": N_("Licences"),
    "expires_on": N_("Expire le"),
    "license_serial": N_("Code n°"),
    "serial": N_("Code n°"),
    "max_environments": N_("Environnements autorisés"),
    "home": N_("Environnement principal"),
    "via": N_("Par"),
}
VALUES = {
    "status": {
        "pending_review": N_("en vérification"),
        "invited": N_("invité"),
        "active": N_("actif"),
        "disabled": N_("désactivé"),
        "open": N_("ouverte"),
        "resolved": N_("réglée"),
    },
    "role": {
        "salesrep": N_("commercial"),
        "manager": N_("responsable"),
        "admin": N_("administrateur"),
    },
    "resolution": {
        "linked": N_("lié"),
        "ssm_only": N_("utilisateur SSM uniquement"),
        "invited": N_("invité"),
        "dismissed": N_("classé"),
        "auto": N_("réglé par la synchronisation"),
    },
    "scope": {"admin": N_("administration"), "read": N_("lecture seule"), "scim": N_("SCIM")},
    "mode": {"direct": N_("lecture directe"), "connector": N_("connecteur sur site")},
    "via": {"invite": N_("invitation"), "reset": N_("lien de nouveau mot de passe")},
    "kind": CASE_KIND_LABELS,
}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ENVIRONMENT_FIELDS = ("environment_id", "home_environment_id", "home")
HIDDEN = {"email_normalized", "environment", "token_id"}  # the name is shown from environment_id


@dataclass(frozen=True)
class EventView:
    event: AuditEvent
    actor: Text | str
    sentence: Text
    changes: list[Text]


def describe(session: Session, *, account_id: int, events: Sequence[AuditEvent]) -> list[EventView]:
    """Sentences for a page of events (a handful of queries, whatever the page's size)."""
    user_ids = {int(e.subject_id) for e in events if e.subject_type == "user" and _id(e)}
    environment_ids = {int(e.subject_id) for e in events if e.subject_type == "environment"}
    for event in events:
        for values in (event.before or {}, event.after or {}):
            environment_ids |= {
                int(values[key]) for key in ENVIRONMENT_FIELDS if _int(values.get(key))
            }
            if _int(values.get("user_id")):
                user_ids.add(int(values["user_id"]))
    names = people(
        session, account_id=account_id, user_ids=user_ids, environment_ids=environment_ids
    )
    actors = actor_labels(session, account_id=account_id, actors={e.actor for e in events})
    key_ids = [int(e.subject_id) for e in events if e.subject_type == "api_key" and _id(e)]
    keys = dict(
        session.execute(
            select(ApiKey.id, ApiKey.name).where(
                ApiKey.account_id == account_id, ApiKey.id.in_(key_ids)
            )
        ).all()
    )
    account = session.get(Account, account_id)
    views = []
    for event in events:
        subject = _subject(event, names, keys, account.name if account else "")
        template = ACTIONS.get(event.action)
        sentence = (
            Text(template, actor=actors[event.actor], subject=subject)
            if template
            else Text(
                UNKNOWN_ACTION, actor=actors[event.actor], action=event.action, subject=subject
            )
        )
        views.append(EventView(event, actors[event.actor], sentence, _changes(event, names)))
    return views


def _subject(event: AuditEvent, names: People, keys: dict[int, str], account: str) -> Text | str:
    if event.subject_type == "user" and _id(event):
        person = names.user(int(event.subject_id))
        if person is not None:
            return (
                f"{person.name} ({person.secondary})"
                if person.name != person.secondary
                else (person.name)
            )
        email = (event.after or {}).get("user_email") or (event.before or {}).get("email")
        return str(email) if email else _("utilisateur supprimé")
    if event.subject_type == "environment" and _id(event):
        return names.environments.get(int(event.subject_id), str(event.subject_id))
    if event.subject_type == "api_key" and _id(event):
        name = keys.get(int(event.subject_id)) or (event.after or event.before or {}).get("name")
        return f"« {name} »" if name else str(event.subject_id)
    if event.subject_type == "account":
        return account
    template = SUBJECTS.get(event.subject_type)
    return Text(template, id=event.subject_id) if template else event.subject_id


def _changes(event: AuditEvent, names: People) -> list[Text]:
    before, after = event.before or {}, event.after or {}
    lines = []
    for key in [*before, *(k for k in after if k not in before)]:
        if key in HIDDEN:
            continue
        label = Text(LABELS[key]) if key in LABELS else key
        old, new = (_value(key, side.get(key), names) for side in (before, after))
        if key in before and key in after:
            lines.append(_("{field} : {before} → {after}", field=label, before=old, after=new))
        else:
            lines.append(_("{field} : {value}", field=label, value=new if key in after else old))
    return lines


def _value(key: str, value: Any, names: People) -> Text | str:
    value = from_json(value)
    if isinstance(value, Text):
        return value
    if value is None or value == "":
        return "∅"
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        with contextlib.suppress(ValueError):
            return Day(dt.date.fromisoformat(value))
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if key in ENVIRONMENT_FIELDS and _int(value):
        return str(names.environments.get(int(value), value))
    if key == "user_id" and _int(value):
        person = names.user(int(value))
        return person.name if person else str(value)
    labels = VALUES.get(key, {})
    if isinstance(value, str) and value in labels:
        return Text(labels[value])
    if isinstance(value, str) and key == "scope":
        kind = value.split(":")[0]
        return Text(labels[kind]) if kind in labels else value
    if isinstance(value, dict | list):
        return ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)
    return str(value)


def _id(event: AuditEvent) -> bool:
    return event.subject_id.isdigit()


def _int(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.isdigit()
    )
