"""/Groups: the two SSM roles an identity provider can assign, as SCIM groups (issue 17).

`SSM Admins` (id `admins`) holds the account's administrators, `SSM Managers` (id `managers`)
its managers: membership *is* the user's role. Adding a user to a group gives them its role,
removing them gives them back the sales-rep role, through `directory.change_role` (the same use
case as the REST API and the admin screens, audited the same way). Entra ID and Okta match such
groups by `displayName` (`filter=displayName eq "SSM Admins"`, often with
`excludedAttributes=members`) and then PATCH their members; a POST of one of the two names
answers 409 `uniqueness` (match it), any other name 403: seatbridge keeps no groups of its own.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import APIRouter, Query, Request
from scim2_models import InvalidFilterException, InvalidValueException, SCIMException, ScimFilter
from scim2_models.path import CompareOperator, Comparison
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from seatbridge.apikeys.scim import ScimIdentity
from seatbridge.directory import service as directory
from seatbridge.directory.models import Role, User
from seatbridge.web.scim import errors
from seatbridge.web.scim.discovery import list_response
from seatbridge.web.scim.http import Body, Caller, check_version, public_base, scim_response
from seatbridge.web.scim.views import as_id
from seatbridge.web.state import web_state

router = APIRouter()
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
GROUPS: dict[str, tuple[str, Role]] = {
    "admins": ("SSM Admins", Role.ADMIN),
    "managers": ("SSM Managers", Role.MANAGER),
}


@router.get("/Groups")
def list_groups(
    request: Request,
    caller: Caller,
    filter: str | None = Query(default=None, max_length=1000),
    excludedAttributes: str | None = Query(default=None, max_length=1000),
    startIndex: int = 1,
    count: int = 100,
) -> Response:
    wanted = _filtered(filter)
    with web_state(request).sessions() as session:
        found = [
            _group(session, request, caller.account_id, group_id, excludedAttributes)
            for group_id in GROUPS
            if group_id in wanted
        ]
    start = max(startIndex, 1)
    page = found[start - 1 : start - 1 + max(count, 0)]
    return scim_response(list_response(page, total=len(found), start=start))


@router.get("/Groups/{group_id}")
def get_group(
    request: Request,
    group_id: str,
    caller: Caller,
    excludedAttributes: str | None = Query(default=None, max_length=1000),
) -> Response:
    _known(group_id)
    with web_state(request).sessions() as session:
        body = _group(session, request, caller.account_id, group_id, excludedAttributes)
    return scim_response(body, headers={"ETag": body["meta"]["version"]})


@router.post("/Groups")
def create_group(request: Request, caller: Caller, body: Body) -> Response:
    name = str(body.get("displayName") or "").strip().lower()
    if any(name == display.lower() for display, _ in GROUPS.values()):
        raise errors.GroupExists(group=body.get("displayName"))
    raise errors.GroupNotKept(group=str(body.get("displayName"))[:100])


@router.patch("/Groups/{group_id}")
def patch_group(request: Request, group_id: str, caller: Caller, body: Body) -> Response:
    """add / remove / replace of `members` (Entra's and Okta's shapes, op in any case)."""
    _known(group_id)
    operations = body.get("Operations")
    if not isinstance(operations, list):
        raise InvalidValueException(detail="a PatchOp needs Operations")
    state = web_state(request)
    with state.sessions.begin() as session:
        current = _members(session, caller.account_id, GROUPS[group_id][1])
        check_version(
            request,
            _group(session, request, caller.account_id, group_id)["meta"]["version"],
            user=group_id,
        )
        wanted = set(current)
        for operation in operations:
            wanted = _apply(wanted, operation, group_id)
        _set_members(session, request, caller, group_id, current, wanted)
        result = _group(session, request, caller.account_id, group_id)
    return scim_response(result, headers={"ETag": result["meta"]["version"]})


@router.put("/Groups/{group_id}")
def replace_group(request: Request, group_id: str, caller: Caller, body: Body) -> Response:
    _known(group_id)
    state = web_state(request)
    with state.sessions.begin() as session:
        current = _members(session, caller.account_id, GROUPS[group_id][1])
        wanted = _member_ids(body.get("members") or [])
        _set_members(session, request, caller, group_id, current, wanted)
        result = _group(session, request, caller.account_id, group_id)
    return scim_response(result, headers={"ETag": result["meta"]["version"]})


@router.delete("/Groups/{group_id}")
def delete_group(group_id: str, caller: Caller) -> Response:
    _known(group_id)
    raise errors.GroupNotDeletable(group=GROUPS[group_id][0])


def _known(group_id: str) -> None:
    if group_id not in GROUPS:
        raise errors.ScimGroupNotFound(group=group_id[:100])


def _filtered(text: str | None) -> set[str]:
    """Group ids a filter names: `displayName eq` (case-insensitive) or `id eq`."""
    if not text or not text.strip():
        return set(GROUPS)
    try:
        tree = ScimFilter(text).ast
    except (SCIMException, ValueError) as error:
        raise InvalidFilterException(detail=f"invalid filter: {error}") from None
    if not isinstance(tree, Comparison) or tree.op is not CompareOperator.eq:
        raise InvalidFilterException(detail='Groups filter on displayName eq "..." or id eq "..."')
    attribute = tree.attr_path.attr.lower()
    value = str(tree.value).strip().lower()
    if attribute == "displayname":
        return {gid for gid, (name, _) in GROUPS.items() if name.lower() == value}
    if attribute == "id":
        return {gid for gid in GROUPS if gid == value}
    raise InvalidFilterException(detail='Groups filter on displayName eq "..." or id eq "..."')


def _members(session: Session, account_id: int, role: Role) -> dict[int, str]:
    """id -> userName of the visible users holding `role`."""
    rows = session.execute(
        select(User.id, User.email, ScimIdentity.user_name)
        .outerjoin(ScimIdentity, ScimIdentity.user_id == User.id)
        .where(
            User.account_id == account_id,
            User.role == role.value,
            User.scim_hidden.is_(False),
        )
        .order_by(User.id)
    ).all()
    return {user_id: user_name or email for user_id, email, user_name in rows}


def _group(
    session: Session,
    request: Request,
    account_id: int,
    group_id: str,
    excluded: str | None = None,
) -> dict[str, Any]:
    name, role = GROUPS[group_id]
    base = public_base(request) + str(request.scope.get("root_path", ""))
    members = [
        {"value": str(user_id), "display": user_name, "$ref": f"{base}/Users/{user_id}"}
        for user_id, user_name in _members(session, account_id, role).items()
    ]
    body: dict[str, Any] = {"schemas": [GROUP_SCHEMA], "id": group_id, "displayName": name}
    body["members"] = members
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    body["meta"] = {
        "resourceType": "Group",
        "location": f"{base}/Groups/{group_id}",
        "version": f'W/"{digest[:20]}"',
    }
    if excluded and "members" in {part.strip().lower() for part in excluded.split(",")}:
        del body["members"]
    return body


def _apply(wanted: set[int], operation: Any, group_id: str) -> set[int]:
    if not isinstance(operation, dict):
        raise InvalidValueException(detail="each operation is an object")
    op = str(operation.get("op", "")).lower()
    path = str(operation.get("path") or "").strip()
    value = operation.get("value")
    if path.lower().startswith("members[") and op == "remove":
        # Entra: {"op": "Remove", "path": "members[value eq \"42\"]"}
        try:
            inner = ScimFilter(path[len("members[") : path.rindex("]")]).ast
        except (SCIMException, ValueError):
            raise InvalidValueException(detail=f"unsupported path {path[:100]}") from None
        if not isinstance(inner, Comparison) or inner.attr_path.attr.lower() != "value":
            raise InvalidValueException(detail=f"unsupported path {path[:100]}")
        return wanted - {_user_id(inner.value)}
    if path and path.lower() != "members":
        if path.lower() == "displayname" and str(value) == GROUPS[group_id][0]:
            return wanted  # the same name: nothing to do
        raise errors.GroupAttributeFixed(attribute=path[:100])
    if not path and isinstance(value, dict):
        # Path-less replace or add: {"value": {"members": [...]}}
        if set(value) - {"members", "displayName", "id"}:
            raise InvalidValueException(detail="only members can change")
        value = value.get("members", [])
    members = _member_ids(value if isinstance(value, list) else [])
    if op == "add":
        return wanted | members
    if op == "replace":
        return members
    if op == "remove":
        return wanted - members if value is not None else set()
    raise InvalidValueException(detail=f"unknown op {op[:20]}")


def _member_ids(values: list[Any]) -> set[int]:
    return {_user_id(item.get("value") if isinstance(item, dict) else item) for item in values}


def _user_id(raw: object) -> int:
    found = as_id(str(raw)) if raw is not None else None
    if found is None:
        raise InvalidValueException(detail=f"no user {str(raw)[:40]} in this account")
    return found


def _set_members(
    session: Session,
    request: Request,
    caller: Any,
    group_id: str,
    current: dict[int, str],
    wanted: set[int],
) -> None:
    """Give the group's role to the added users and the sales-rep role back to the removed."""
    role = GROUPS[group_id][1]
    state = web_state(request)
    visible = set(
        session.scalars(
            select(User.id).where(
                User.account_id == caller.account_id,
                User.id.in_(wanted or {0}),
                User.scim_hidden.is_(False),
            )
        )
    )
    if wanted - visible:
        missing = sorted(wanted - visible)[0]
        raise InvalidValueException(detail=f"no user {missing} in this account")
    for user_id in sorted(wanted - set(current)):
        directory.change_role(
            session,
            account_id=caller.account_id,
            user_id=user_id,
            role=role.value,
            actor=caller.actor,
            clock=state.clock,
        )
    for user_id in sorted(set(current) - wanted):
        directory.change_role(
            session,
            account_id=caller.account_id,
            user_id=user_id,
            role=Role.SALESREP.value,
            actor=caller.actor,
            clock=state.clock,
        )
