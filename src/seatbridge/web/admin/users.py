"""Users of the account: the table (Starter's "Gestion des utilisateurs", the advanced users page
with filters), one person's actions, and the advanced bulk actions (Activer, Désactiver,
Envoyer mot de passe)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.accounts import service as accounts
from seatbridge.accounts.seats import seat_usage
from seatbridge.auth.sessions import SignedIn
from seatbridge.directory import service as directory
from seatbridge.directory.models import Role, UserStatus
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_
from seatbridge.invitations import service as invitations
from seatbridge.web.admin.access import Area, PageRoute, Redirect, admin_area, current_admin, or_404
from seatbridge.web.admin.queries import (
    USERS_PAGE_SIZE,
    UserFilters,
    find_users,
    open_case_count,
    sage_links,
)
from seatbridge.web.admin.ui import done, page
from seatbridge.web.pages import error_message
from seatbridge.web.security import verify_csrf
from seatbridge.web.state import safe_next, web_state

router = APIRouter(route_class=PageRoute, dependencies=[Depends(verify_csrf)])
Admin = Annotated[SignedIn, Depends(current_admin)]
AdminArea = Annotated[Area, Depends(admin_area)]
Next = Annotated[str, Form(max_length=2000)]
BULK_ACTIONS = ("activate", "deactivate", "password")


class OwnAccess(SeatbridgeError):
    code = "web.own_access"
    template = N_(
        "Vous ne pouvez pas désactiver votre propre accès ni changer votre propre rôle : "
        "demandez-le à un autre administrateur."
    )


class NothingSelected(SeatbridgeError):
    code = "web.nothing_selected"
    template = N_("Cochez au moins un utilisateur, puis choisissez l'action.")


def filters_of(request: Request) -> UserFilters:
    params = request.query_params
    environment = params.get("environment", "")
    page_number = params.get("page", "")
    return UserFilters(
        status=params.get("status", "") if params.get("status") in set(UserStatus) else "",
        role=params.get("role", "") if params.get("role") in set(Role) else "",
        environment_id=int(environment) if environment.isdigit() else None,
        text=params.get("q", "")[:100],
        page=int(page_number) if page_number.isdigit() and int(page_number) > 0 else 1,
    )


def users_page(
    request: Request,
    me: SignedIn,
    area: Area,
    *,
    error: SeatbridgeError | None = None,
    status_code: int = 200,
) -> Response:
    """Starter's Administration home, or the advanced users page."""
    state = web_state(request)
    filters = filters_of(request) if area.advanced else UserFilters(page=0)
    with state.sessions() as session:
        if area.advanced:
            users, total = find_users(session, account_id=me.account.id, filters=filters)
        else:
            users = directory.list_users(session, account_id=me.account.id)
            total = len(users)
        context: dict[str, Any] = {
            "area": area,
            "me": me.user,
            "account": me.account,
            "usage": seat_usage(session, account_id=me.account.id, today=state.clock.today()),
            "users": users,
            "total": total,
            "filters": filters,
            "pages": max(1, -(-total // USERS_PAGE_SIZE)),
            "links": sage_links(session, account_id=me.account.id),
            "environments": accounts.list_environments(session, account_id=me.account.id),
            "open_cases": open_case_count(session, account_id=me.account.id),
            "error": error_message(request, error) if error else None,
            "here": request.url.path + ("?" + request.url.query if request.url.query else ""),
        }
    name = "admin/users.html" if area.advanced else "admin/starter.html"
    return page(request, name, context, status_code=status_code)


@router.get("/users")
def users(request: Request, me: Admin, area: AdminArea) -> Response:
    if not area.advanced:
        raise Redirect(area.prefix)
    return users_page(request, me, area)


def _act(
    request: Request, me: SignedIn, area: Area, next_page: str, notice: str, action: Any
) -> Response:
    """Run one change in a transaction; its refusal is shown on the users page."""
    state = web_state(request)
    try:
        with state.sessions.begin() as session, or_404():
            count = action(session, state)
    except SeatbridgeError as refused:
        return users_page(request, me, area, error=refused, status_code=400)
    default = area.prefix + ("/users" if area.advanced else "")
    target = safe_next(next_page) if next_page.startswith(area.prefix) else default
    return done(target, notice, count)


def _reactivate(session: Any, state: Any, me: SignedIn, ids: list[int]) -> int:
    users = directory.reactivate_users(
        session, account_id=me.account.id, user_ids=ids, actor=me.user.email, clock=state.clock
    )
    invitations.welcome(
        session,
        account_id=me.account.id,
        users=users,
        actor=me.user.email,
        clock=state.clock,
        settings=state.settings,
    )
    return len(users)


def _deactivate(session: Any, state: Any, me: SignedIn, ids: list[int]) -> int:
    if me.user.id in ids:
        raise OwnAccess()
    return len(
        directory.deactivate_users(
            session, account_id=me.account.id, user_ids=ids, actor=me.user.email, clock=state.clock
        )
    )


def _password_links(session: Any, state: Any, me: SignedIn, ids: list[int]) -> int:
    return len(
        invitations.send_password_links(
            session,
            account_id=me.account.id,
            user_ids=ids,
            actor=me.user.email,
            clock=state.clock,
            settings=state.settings,
        )
    )


@router.post("/users/{user_id}/deactivate")
def deactivate(
    request: Request, me: Admin, area: AdminArea, user_id: int, next: Next = ""
) -> Response:
    return _act(
        request, me, area, next, "deactivated", lambda s, st: _deactivate(s, st, me, [user_id])
    )


@router.post("/users/{user_id}/reactivate")
def reactivate(
    request: Request, me: Admin, area: AdminArea, user_id: int, next: Next = ""
) -> Response:
    return _act(
        request, me, area, next, "reactivated", lambda s, st: _reactivate(s, st, me, [user_id])
    )


@router.post("/users/{user_id}/resend")
def resend(request: Request, me: Admin, area: AdminArea, user_id: int, next: Next = "") -> Response:
    def action(session: Any, state: Any) -> int:
        return len(
            invitations.resend(
                session,
                account_id=me.account.id,
                user_ids=[user_id],
                actor=me.user.email,
                clock=state.clock,
                settings=state.settings,
            )
        )

    return _act(request, me, area, next, "resent", action)


@router.post("/users/{user_id}/revoke")
def revoke(request: Request, me: Admin, area: AdminArea, user_id: int, next: Next = "") -> Response:
    def action(session: Any, state: Any) -> int:
        return len(
            invitations.revoke(
                session,
                account_id=me.account.id,
                user_ids=[user_id],
                actor=me.user.email,
                clock=state.clock,
            )
        )

    return _act(request, me, area, next, "revoked", action)


@router.post("/users/{user_id}/password")
def password_link(
    request: Request, me: Admin, area: AdminArea, user_id: int, next: Next = ""
) -> Response:
    return _act(
        request,
        me,
        area,
        next,
        "password_links",
        lambda s, st: _password_links(s, st, me, [user_id]),
    )


@router.post("/users/{user_id}/role")
def change_role(
    request: Request,
    me: Admin,
    area: AdminArea,
    user_id: int,
    role: Annotated[str, Form(max_length=20)] = "",
    next: Next = "",
) -> Response:
    def action(session: Any, state: Any) -> int:
        if user_id == me.user.id:
            raise OwnAccess()
        directory.change_role(
            session,
            account_id=me.account.id,
            user_id=user_id,
            role=role,
            actor=me.user.email,
            clock=state.clock,
        )
        return 1

    return _act(request, me, area, next, "role", action)


@router.post("/users/bulk")
def bulk(
    request: Request,
    me: Admin,
    area: AdminArea,
    action: Annotated[str, Form(max_length=20)] = "",
    user_id: Annotated[list[int], Form()] = [],  # noqa: B006
    next: Next = "",
) -> Response:
    """Activer (re-activate the disabled ones), Désactiver, Envoyer mot de passe."""
    ids = list(dict.fromkeys(user_id))
    if not ids or action not in BULK_ACTIONS:
        return users_page(request, me, area, error=NothingSelected(), status_code=400)

    def run(session: Any, state: Any) -> int:
        if action == "deactivate":
            return _deactivate(session, state, me, ids)
        if action == "password":
            return _password_links(session, state, me, ids)
        chosen = [
            user.id
            for user in directory.list_users(session, account_id=me.account.id)
            if user.id in ids and user.status == UserStatus.DISABLED.value
        ]
        if len(chosen) != len(ids):
            # Someone not disabled was ticked: let the service name them and refuse.
            directory.reactivate_users(
                session, account_id=me.account.id, user_ids=ids, actor=me.user.email,
                clock=state.clock,
            )  # fmt: skip
        return _reactivate(session, state, me, chosen)

    notice = {"activate": "activated", "deactivate": "deactivated", "password": "password_links"}
    return _act(request, me, area, next, notice[action], run)
