"""`apply_plan`: carries out a plan inside the caller's transaction (all of it, or nothing)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.accounts.errors import AccountError
from seatbridge.accounts.models import Environment
from seatbridge.clock import Clock
from seatbridge.directory import service as directory
from seatbridge.directory.emails import normalize_email
from seatbridge.directory.models import User
from seatbridge.sync import cases, creation
from seatbridge.sync.models import CaseKind, Collaborator
from seatbridge.sync.plan import Action, ActionKind, Plan

InvitedHook = Callable[[Session, Sequence[User]], None]


def apply_plan(
    session: Session,
    plan: Plan,
    *,
    environment: Environment,
    actor: str,
    clock: Clock,
    on_invited: InvitedHook | None = None,
) -> Counter[str]:
    """Apply every action; returns what was done, by kind (seat shortages are counted apart)."""
    applier = _Applier(session, environment, actor, clock)
    by_kind: dict[ActionKind, list[Action]] = {}
    for action in plan.actions:
        by_kind.setdefault(action.kind, []).append(action)
    applier.add_collaborators(by_kind.get(ActionKind.ADD_COLLABORATOR, []))
    for kind in ORDER:
        for action in by_kind.get(kind, []):
            HANDLERS[kind](applier, action)
    if applier.invited and on_invited is not None:
        on_invited(session, applier.invited)
    session.flush()
    return applier.done


class _Applier:
    def __init__(self, session: Session, environment: Environment, actor: str, clock: Clock):
        self.session = session
        self.environment = environment
        self.account_id = environment.account_id
        self.actor = actor
        self.clock = clock
        self.now: dt.datetime = clock.now()
        self.done: Counter[str] = Counter()
        self.invited: list[User] = []

    def _audit(self, action: str, user_id: int, before: Any = None, after: Any = None) -> None:
        audit.record(
            self.session,
            account_id=self.account_id,
            actor=self.actor,
            action=action,
            subject_type="user",
            subject_id=user_id,
            before=before,
            after=after,
        )

    def add_collaborators(self, actions: list[Action]) -> None:
        rows = [
            {
                **action.data,
                "account_id": self.account_id,
                "environment_id": self.environment.id,
                "co_no": action.co_no,
                "first_seen_at": self.now,
                "updated_at": self.now,
            }
            for action in actions
        ]
        for start in range(0, len(rows), 1000):
            self.session.execute(insert(Collaborator), rows[start : start + 1000])
        if rows:
            self.done[ActionKind.ADD_COLLABORATOR.value] += len(rows)

    def update_collaborator(self, action: Action) -> None:
        values = {key: after for key, (_, after) in action.changes.items() if key != "deleted"}
        if "deleted" in action.changes:
            values["deleted_at"] = None
        self._collaborator(action.co_no, values | {"updated_at": self.now})
        self.done[action.kind.value] += 1

    def remove_collaborator(self, action: Action) -> None:
        values = {"deleted_at": self.now, "updated_at": self.now, **action.data}
        self._collaborator(action.co_no, values)
        self.done[action.kind.value] += 1

    def _collaborator(self, co_no: int | None, values: dict[str, Any]) -> None:
        self.session.execute(
            update(Collaborator)
            .where(Collaborator.environment_id == self.environment.id, Collaborator.co_no == co_no)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    def link(self, action: Action) -> None:
        cases.link_collaborator(
            self.session,
            environment=self.environment,
            co_no=_required(action.co_no),
            user_id=_required(action.user_id),
            actor=self.actor,
            reason=action.reason,
            clock=self.clock,
        )
        self.done[action.kind.value] += 1

    def update_user(self, action: Action) -> None:
        user = self._user(action.user_id)
        for key, (_, after) in action.changes.items():
            setattr(user, key, after)
            if key == "email":
                user.email_normalized = normalize_email(after)
        user.updated_at = self.now
        self._audit(
            "user.sage_update",
            user.id,
            {k: v[0] for k, v in action.changes.items()},
            {k: v[1] for k, v in action.changes.items()},
        )
        self.done[action.kind.value] += 1

    def flag_user(self, action: Action) -> None:
        self._audit(
            f"user.flag_{action.data['flag']}",
            _required(action.user_id),
            None,
            {
                "environment_id": self.environment.id,
                "co_no": action.co_no,
                "label": action.reason.to_json(),
            },
        )
        self.done[action.kind.value] += 1

    def deactivate_user(self, action: Action) -> None:
        directory.deactivate_users(
            self.session,
            account_id=self.account_id,
            user_ids=[_required(action.user_id)],
            actor=self.actor,
            clock=self.clock,
        )
        self.done[action.kind.value] += 1

    def invite_user(self, action: Action) -> None:
        try:
            with self.session.begin_nested():
                users = directory.put_in_invited(
                    self.session,
                    account_id=self.account_id,
                    user_ids=[_required(action.user_id)],
                    actor=self.actor,
                    clock=self.clock,
                )
        except AccountError as refused:
            cases.open_case(
                self.session,
                account_id=self.account_id,
                kind=CaseKind.AWAITING_SEAT,
                user_id=action.user_id,
                environment_id=self.environment.id,
                actor=self.actor,
                clock=self.clock,
                detail={"reason": refused.code, "message": refused.text.to_json()},
            )
            self.done["awaiting_seat"] += 1
            return
        self.invited.extend(users)
        self.done[action.kind.value] += 1

    def auto_invite(self, action: Action) -> None:
        try:
            with self.session.begin_nested():
                users = [
                    created.user
                    for created in creation.create_from_picks(
                        self.session,
                        account_id=self.account_id,
                        picks=[(self.environment.id, _required(action.co_no))],
                        actor=self.actor,
                        clock=self.clock,
                        source="sync",
                    )
                ]
        except AccountError:
            self.done["auto_invite_skipped"] += 1
            return
        self.invited.extend(users)
        self.done[action.kind.value] += 1

    def open_case(self, action: Action) -> None:
        data = action.data
        kind = CaseKind(data["kind"])
        candidates = [
            {"environment_id": self.environment.id, "co_no": co} for co in data.get("co_nos", [])
        ]
        cases.open_case(
            self.session,
            account_id=self.account_id,
            kind=kind,
            user_id=action.user_id,
            environment_id=self.environment.id,
            actor=self.actor,
            clock=self.clock,
            email=data.get("email"),
            candidates=candidates,
            detail={key: value for key, value in data.items() if key not in ("kind", "co_nos")},
        )
        self.done[action.kind.value] += 1

    def close_case(self, action: Action) -> None:
        cases.close_case(
            self.session,
            account_id=self.account_id,
            case_id=action.data["case_id"],
            resolution="auto",
            actor=self.actor,
            clock=self.clock,
            note=action.reason,
        )
        self.done[action.kind.value] += 1

    def _user(self, user_id: int | None) -> User:
        user = self.session.get(User, user_id)
        if user is None or user.account_id != self.account_id:
            raise LookupError(f"user {user_id} vanished during the sync")
        return user


def _required(value: int | None) -> int:
    if value is None:
        raise ValueError("a plan action lacks the collaborator or user it is about")
    return value


ORDER = (
    ActionKind.UPDATE_COLLABORATOR,
    ActionKind.REMOVE_COLLABORATOR,
    ActionKind.CLOSE_CASE,
    ActionKind.LINK,
    ActionKind.UPDATE_USER,
    ActionKind.FLAG_USER,
    ActionKind.DEACTIVATE_USER,
    ActionKind.INVITE_USER,
    ActionKind.AUTO_INVITE,
    ActionKind.OPEN_CASE,
)
HANDLERS: dict[ActionKind, Callable[[_Applier, Action], None]] = {
    ActionKind.UPDATE_COLLABORATOR: _Applier.update_collaborator,
    ActionKind.REMOVE_COLLABORATOR: _Applier.remove_collaborator,
    ActionKind.CLOSE_CASE: _Applier.close_case,
    ActionKind.LINK: _Applier.link,
    ActionKind.UPDATE_USER: _Applier.update_user,
    ActionKind.FLAG_USER: _Applier.flag_user,
    ActionKind.DEACTIVATE_USER: _Applier.deactivate_user,
    ActionKind.INVITE_USER: _Applier.invite_user,
    ActionKind.AUTO_INVITE: _Applier.auto_invite,
    ActionKind.OPEN_CASE: _Applier.open_case,
}
