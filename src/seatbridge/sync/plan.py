"""`plan_sync`: Sage records + seatbridge's state -> the list of actions, each with its reason.

Pure: no database, no clock. The situation of each collaborator the change set touches decides
its reaction (docs/sync.md has the table):

- linked      -> Sage 100 masters names, function, phones and e-mail of the user; dormancy and
                 deletion flag the user (or deactivate, if the environment opted in);
- candidate   -> exactly one user has the e-mail and no link here: link (and close their case);
- unmatched   -> available to invite (optionally auto-invited when a salesperson);
- disputed    -> several collaborators share the e-mail: a review case, never a silent pick;
- deleted     -> gone from a full read: the mirror keeps it as deleted, the user is flagged.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from seatbridge.directory.emails import EmailProblem, check_email
from seatbridge.i18n import N_, Text, _
from seatbridge.sync.models import NotInvitable
from seatbridge.sync.records import ChangeSet, CollaboratorRecord
from seatbridge.sync.state import EnvironmentState, MirrorView, UserView

MASTERED = ("first_name", "last_name", "function", "phone", "mobile")
MIRRORED = (*MASTERED, "cb_marq", "email", "is_salesperson", "dormant", "modified_at")
BRAKE_RATIO = 0.20
BRAKE_MINIMUM = 5
EMAIL_REASON = {
    EmailProblem.MISSING: NotInvitable.NO_EMAIL,
    EmailProblem.INVALID: NotInvitable.INVALID_EMAIL,
    EmailProblem.SEVERAL: NotInvitable.SEVERAL_EMAILS,
}


class ActionKind(enum.StrEnum):
    ADD_COLLABORATOR = "add_collaborator"
    UPDATE_COLLABORATOR = "update_collaborator"
    REMOVE_COLLABORATOR = "remove_collaborator"
    LINK = "link"
    UPDATE_USER = "update_user"
    FLAG_USER = "flag_user"
    DEACTIVATE_USER = "deactivate_user"
    INVITE_USER = "invite_user"
    AUTO_INVITE = "auto_invite"
    OPEN_CASE = "open_case"
    CLOSE_CASE = "close_case"


BRAKED = frozenset({ActionKind.DEACTIVATE_USER})
ACTION_KIND_LABELS: dict[str, str] = {
    ActionKind.ADD_COLLABORATOR: N_("Nouveau collaborateur"),
    ActionKind.UPDATE_COLLABORATOR: N_("Collaborateur modifié"),
    ActionKind.REMOVE_COLLABORATOR: N_("Collaborateur supprimé"),
    ActionKind.LINK: N_("Liaison"),
    ActionKind.UPDATE_USER: N_("Utilisateur mis à jour"),
    ActionKind.FLAG_USER: N_("Utilisateur signalé"),
    ActionKind.DEACTIVATE_USER: N_("Utilisateur désactivé"),
    ActionKind.INVITE_USER: N_("Utilisateur invité"),
    ActionKind.AUTO_INVITE: N_("Invitation automatique"),
    ActionKind.OPEN_CASE: N_("Vérification ouverte"),
    ActionKind.CLOSE_CASE: N_("Vérification réglée"),
    "awaiting_seat": N_("En attente d'une licence"),
    "auto_invite_skipped": N_("Invitation automatique impossible (licences)"),
}
# What the run details call the fields of a collaborator or a user.
FIELD_LABELS = {
    "first_name": N_("Prénom"),
    "last_name": N_("Nom"),
    "function": N_("Fonction"),
    "phone": N_("Téléphone"),
    "mobile": N_("Portable"),
    "email": N_("E-mail"),
    "is_salesperson": N_("Commercial"),
    "dormant": N_("En sommeil"),
    "deleted": N_("Supprimé"),
    "modified_at": N_("Modifié dans Sage 100 le"),
    "not_invitable": N_("Invitable"),
    "cb_marq": N_("Marqueur Sage (cbMarq)"),
}


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    reason: Text
    co_no: int | None = None
    user_id: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "reason": self.reason.to_json(),
            "co_no": self.co_no,
            "user_id": self.user_id,
            "changes": {key: [_plain(v) for v in pair] for key, pair in self.changes.items()},
            **({"data": {key: _plain(v) for key, v in self.data.items()}} if self.data else {}),
        }


def _plain(value: Any) -> Any:
    """JSON-ready (run details are stored as JSON): Sage timestamps become ISO text."""
    return value.isoformat() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class Plan:
    environment_id: int
    full: bool
    records_read: int
    actions: tuple[Action, ...]
    linked_users: int

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for action in self.actions:
            counts[action.kind.value] = counts.get(action.kind.value, 0) + 1
        return counts

    @property
    def harmful(self) -> int:
        """Users this plan would flag (dormant, deleted) or deactivate: what the brake counts."""
        users = {
            a.user_id
            for a in self.actions
            if a.kind in BRAKED
            or (a.kind is ActionKind.FLAG_USER and a.data.get("flag") != "clear")
        }
        return len(users)

    @property
    def brake_engaged(self) -> bool:
        harmful = self.harmful
        return harmful >= BRAKE_MINIMUM and harmful > BRAKE_RATIO * self.linked_users

    @property
    def is_noop(self) -> bool:
        return not self.actions


@dataclass(frozen=True, slots=True)
class Wanted:
    """What the mirror row of a collaborator should become."""

    values: dict[str, Any]
    email_normalized: str | None
    email_ok: bool
    deleted: bool


def plan_sync(change_set: ChangeSet, state: EnvironmentState) -> Plan:
    """Decide every action a change set calls for (see the module docstring)."""
    changed = {record.co_no: record for record in change_set.records}
    removed = (
        {co for co, row in state.mirror.items() if not row.deleted and co not in changed}
        if change_set.full
        else set()
    )
    wanted = {co: _wanted(record) for co, record in changed.items()}
    for co in removed:
        wanted[co] = _wanted_removed(state.mirror[co])
    peers = _peers_after(state, wanted)
    touched = set(wanted)
    for email in {w.email_normalized for w in wanted.values()} | _old_emails(state, wanted):
        if email is not None:
            touched |= peers.get(email, set()) | state.peers.get(email, set())
    for co in touched - set(wanted):
        if co in state.mirror:
            wanted[co] = _wanted_from_mirror(state.mirror[co])
    planner = _Planner(state, peers)
    for co in sorted(wanted):
        planner.collaborator(co, wanted[co], state.mirror.get(co))
    emails = {w.email_normalized for w in wanted.values()} | _old_emails(state, wanted)
    planner.shared_cases(peers, emails)
    return Plan(
        environment_id=state.environment_id,
        full=change_set.full,
        records_read=len(change_set.records),
        actions=tuple(planner.actions),
        linked_users=state.linked_users,
    )


class _Planner:
    def __init__(self, state: EnvironmentState, peers: dict[str, set[int]]) -> None:
        self.state = state
        self.peers = peers
        self.actions: list[Action] = []
        self.claimed_users: set[int] = set()

    def collaborator(self, co: int, wanted: Wanted, mirror: MirrorView | None) -> None:
        linked_user = self.state.users.get(self.state.links.get(co, -1))
        candidate = self._candidate(co, wanted) if linked_user is None else None
        reason = self._not_invitable(wanted, linked_user or candidate or self._holder(wanted))
        self._mirror(co, wanted, mirror, reason)
        if linked_user is not None:
            self._linked(co, wanted, mirror, linked_user)
        elif candidate is not None:
            self._link(co, wanted, candidate)
        elif (
            self.state.auto_invite_salespeople
            and mirror is None
            and reason is None
            and wanted.values["is_salesperson"]
        ):
            self.actions.append(
                Action(
                    ActionKind.AUTO_INVITE,
                    _("nouveau commercial (règle d'invitation automatique)"),
                    co_no=co,
                )
            )

    def _candidate(self, co: int, wanted: Wanted) -> UserView | None:
        email = wanted.email_normalized
        if wanted.deleted or not wanted.email_ok or email is None:
            return None
        if len(self.peers.get(email, set())) > 1:
            return None  # disputed: a review case, never a silent pick
        user = self.state.users.get(self.state.user_by_email.get(email, -1))
        if user is None or user.linked_co_no is not None or user.id in self.claimed_users:
            return None
        if user.ssm_only:
            return None  # an admin chose "SSM only" for this person: never linked by e-mail
        return user

    def _holder(self, wanted: Wanted) -> UserView | None:
        """An SSM-only user who has this e-mail: the collaborator is not invitable beside them."""
        user = self.state.users.get(self.state.user_by_email.get(wanted.email_normalized or "", -1))
        return user if user is not None and user.ssm_only else None

    def _not_invitable(self, wanted: Wanted, user: UserView | None) -> str | None:
        if wanted.deleted:
            return NotInvitable.DELETED.value
        if wanted.values["dormant"]:
            return NotInvitable.DORMANT.value
        if not wanted.email_ok:
            problem = check_email(wanted.values["email"]).problem or EmailProblem.INVALID
            return EMAIL_REASON[problem].value
        if len(self.peers.get(wanted.email_normalized or "", set())) > 1:
            return NotInvitable.SHARED_EMAIL.value
        if user is not None:
            return NotInvitable.ALREADY_USER.value
        return None

    def _mirror(
        self, co: int, wanted: Wanted, mirror: MirrorView | None, reason: str | None
    ) -> None:
        target = {**wanted.values, "email_normalized": wanted.email_normalized}
        target["not_invitable"] = reason
        if mirror is None:
            if not wanted.deleted:
                self.actions.append(
                    Action(
                        ActionKind.ADD_COLLABORATOR,
                        _("nouveau dans Sage 100"),
                        co_no=co,
                        data=target,
                    )
                )
            return
        if wanted.deleted and not mirror.deleted:
            self.actions.append(
                Action(
                    ActionKind.REMOVE_COLLABORATOR,
                    _("absent d'une lecture complète de Sage 100"),
                    co_no=co,
                    data={"not_invitable": reason},
                )
            )
            return
        changes = {
            key: (getattr(mirror, key), value)
            for key, value in target.items()
            if getattr(mirror, key) != value
        }
        if mirror.deleted and not wanted.deleted:
            changes["deleted"] = (True, False)
        if changes:
            self.actions.append(
                Action(
                    ActionKind.UPDATE_COLLABORATOR,
                    _("modifié dans Sage 100"),
                    co_no=co,
                    changes=changes,
                )
            )

    def _linked(self, co: int, wanted: Wanted, mirror: MirrorView | None, user: UserView) -> None:
        was_deleted = mirror.deleted if mirror else False
        was_dormant = bool(mirror.dormant) if mirror else False
        if wanted.deleted and not was_deleted:
            self._flag(co, user, "deleted", _("supprimé dans Sage 100"))
            return
        if wanted.deleted:
            return
        dormant = bool(wanted.values["dormant"])
        if dormant and not was_dormant:
            self._flag(co, user, "dormant", _("en sommeil dans Sage 100"))
            if self.state.deactivate_on_dormant and user.status in ("invited", "active"):
                self.actions.append(
                    Action(
                        ActionKind.DEACTIVATE_USER,
                        _("en sommeil dans Sage 100 (règle de l'environnement)"),
                        co_no=co,
                        user_id=user.id,
                    )
                )
        elif (was_dormant and not dormant) or was_deleted:
            self._flag(co, user, "clear", _("de nouveau actif dans Sage 100"))
        if user.home_environment_id not in (None, self.state.environment_id):
            return  # another company masters this person's fields
        changes = _mastered_changes(wanted, user)
        self._email_change(co, wanted, user, changes)
        self._update_user(co, user, changes)

    def _update_user(self, co: int, user: UserView, changes: dict[str, tuple[Any, Any]]) -> None:
        if changes:
            self.actions.append(
                Action(
                    ActionKind.UPDATE_USER,
                    _("Sage 100 fait foi pour les coordonnées de cet utilisateur"),
                    co_no=co,
                    user_id=user.id,
                    changes=changes,
                )
            )

    def _email_change(
        self, co: int, wanted: Wanted, user: UserView, changes: dict[str, tuple[Any, Any]]
    ) -> None:
        new = wanted.email_normalized
        collision_case = self.state.open_cases.get(("collision", str(user.id)))
        if not wanted.email_ok or new is None or new == user.email_normalized:
            if collision_case is not None:
                self._close(
                    collision_case, user.id, _("le changement d'e-mail en conflit a disparu")
                )
            return
        holder = self.state.user_by_email.get(new)
        if holder is not None and holder != user.id:
            if collision_case is None:
                self.actions.append(
                    Action(
                        ActionKind.OPEN_CASE,
                        _("la nouvelle adresse e-mail Sage 100 est celle d'un autre utilisateur"),
                        co_no=co,
                        user_id=user.id,
                        data={"kind": "email_collision", "email": new, "holder": holder},
                    )
                )
            return
        changes["email"] = (user.email, wanted.values["email"])
        if collision_case is not None:
            self._close(collision_case, user.id, _("l'adresse e-mail n'est plus en conflit"))

    def _link(self, co: int, wanted: Wanted, user: UserView) -> None:
        self.claimed_users.add(user.id)
        self.actions.append(
            Action(ActionKind.LINK, _("même adresse e-mail"), co_no=co, user_id=user.id)
        )
        if user.home_environment_id in (None, self.state.environment_id):
            self._update_user(co, user, _mastered_changes(wanted, user))
        case_id = self.state.open_cases.get(("user", str(user.id)))
        if case_id is not None:
            self._close(case_id, user.id, _("collaborateur trouvé dans Sage 100 par son e-mail"))
        if user.status == "pending_review":
            self.actions.append(
                Action(
                    ActionKind.INVITE_USER,
                    _("vérifié : même adresse e-mail"),
                    co_no=co,
                    user_id=user.id,
                )
            )

    def _flag(self, co: int, user: UserView, flag: str, label: Text) -> None:
        self.actions.append(
            Action(ActionKind.FLAG_USER, label, co_no=co, user_id=user.id, data={"flag": flag})
        )

    def _close(self, case_id: int, user_id: int | None, reason: Text) -> None:
        self.actions.append(
            Action(ActionKind.CLOSE_CASE, reason, user_id=user_id, data={"case_id": case_id})
        )

    def shared_cases(self, peers: dict[str, set[int]], emails: Iterable[str | None]) -> None:
        for email in sorted(e for e in set(emails) if e):
            sharing = peers.get(email, set())
            case_id = self.state.open_cases.get(("shared_email", email))
            # An admin settled it by linking the address's user to one of the collaborators
            # ("Lier" on the case): the link decides, the case is not opened again.
            owner = self.state.users.get(self.state.user_by_email.get(email, -1))
            settled = owner is not None and owner.linked_co_no in sharing
            if len(sharing) > 1 and case_id is None and not settled:
                self.actions.append(
                    Action(
                        ActionKind.OPEN_CASE,
                        _("plusieurs collaborateurs partagent cette adresse e-mail"),
                        user_id=self.state.user_by_email.get(email),
                        data={"kind": "shared_email", "email": email, "co_nos": sorted(sharing)},
                    )
                )
            elif len(sharing) <= 1 and case_id is not None:
                self._close(case_id, None, _("l'adresse e-mail n'est plus partagée"))
            elif settled and case_id is not None:
                self._close(
                    case_id,
                    owner.id if owner else None,
                    _("l'adresse e-mail est liée à son utilisateur"),
                )


def _mastered_changes(wanted: Wanted, user: UserView) -> dict[str, tuple[Any, Any]]:
    return {
        key: (getattr(user, key), wanted.values[key])
        for key in MASTERED
        if getattr(user, key) != wanted.values[key]
    }


def _wanted(record: CollaboratorRecord) -> Wanted:
    check = check_email(record.email)
    normalized = check.normalized if check.ok else None
    values = {
        "cb_marq": record.cb_marq,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "function": record.function,
        "phone": record.phone,
        "mobile": record.mobile,
        "email": (record.email or "").strip() or None,
        "is_salesperson": record.is_salesperson,
        "dormant": record.dormant,
        "modified_at": record.modified_at,
    }
    return Wanted(values, normalized, check.ok, deleted=False)


def _wanted_from_mirror(row: MirrorView) -> Wanted:
    values = {key: getattr(row, key) for key in MIRRORED}
    check = check_email(row.email)
    normalized = check.normalized if check.ok else None
    return Wanted(values, normalized, check.ok, deleted=row.deleted)


def _wanted_removed(row: MirrorView) -> Wanted:
    current = _wanted_from_mirror(row)
    return Wanted(current.values, current.email_normalized, current.email_ok, deleted=True)


def _peers_after(state: EnvironmentState, wanted: dict[int, Wanted]) -> dict[str, set[int]]:
    peers = {email: set(cos) for email, cos in state.peers.items()}
    for co, target in wanted.items():
        old = state.mirror.get(co)
        if old is not None and old.email_normalized:
            peers.get(old.email_normalized, set()).discard(co)
        if target.email_normalized and target.email_ok and not target.deleted:
            peers.setdefault(target.email_normalized, set()).add(co)
    return peers


def _old_emails(state: EnvironmentState, wanted: dict[int, Wanted]) -> set[str | None]:
    return {state.mirror[co].email_normalized for co in wanted if co in state.mirror}
