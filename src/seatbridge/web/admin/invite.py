""" "Inviter des membres": collaborators from Sage 100, or a person by e-mail (rule 17), and
"Ajouter des licences": a new activation code when every licence is taken."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import Response

from seatbridge import onboarding
from seatbridge.accounts import service as accounts
from seatbridge.accounts.seats import seat_usage
from seatbridge.auth.sessions import SignedIn
from seatbridge.directory.service import NewUser
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import N_
from seatbridge.licensing import Edition, KeyRing
from seatbridge.web.admin.access import (
    ADVANCED_PREFIX,
    STARTER_PREFIX,
    Area,
    PageRoute,
    admin_area,
    current_admin,
)
from seatbridge.web.admin.ui import done, page
from seatbridge.web.pages import error_message
from seatbridge.web.security import verify_csrf
from seatbridge.web.state import web_state
from seatbridge.web.wizard.selection import checked_picks, companies

router = APIRouter(route_class=PageRoute, dependencies=[Depends(verify_csrf)])
Admin = Annotated[SignedIn, Depends(current_admin)]
AdminArea = Annotated[Area, Depends(admin_area)]
Text = Annotated[str, Form(max_length=320)]


def _home(area: Area) -> str:
    return area.prefix + ("/users" if area.advanced else "")


def invite_page(
    request: Request,
    me: SignedIn,
    area: Area,
    *,
    error: SeatbridgeError | None = None,
    picked: set[str] | None = None,
    person: dict[str, str] | None = None,
) -> Response:
    state = web_state(request)
    with state.sessions() as session:
        usage = seat_usage(session, account_id=me.account.id, today=state.clock.today())
        found = companies(session, account_id=me.account.id, usage=usage)
    context: dict[str, Any] = {
        "area": area,
        "usage": usage,
        "companies": found,
        "picked": picked or set(),
        "person": person
        or {"email": "", "first_name": "", "last_name": "", "ssm_only": "", "reason": ""},
        "error": error_message(request, error) if error else None,
    }
    return page(request, "admin/invite.html", context, status_code=400 if error else 200)


@router.get("/invite")
def invite(request: Request, me: Admin, area: AdminArea) -> Response:
    return invite_page(request, me, area)


@router.post("/invite/collaborators")
def invite_from_sage(
    request: Request,
    me: Admin,
    area: AdminArea,
    pick: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    state = web_state(request)
    with state.sessions() as session:
        chosen, problem = checked_picks(
            session, account=me.account, values=pick, today=state.clock.today()
        )
    if problem is None and not chosen:
        problem = NoneChosen()
    if problem is not None:
        return invite_page(request, me, area, error=problem, picked=set(pick))
    try:
        with state.sessions.begin() as session:
            invited = onboarding.invite_collaborators(
                session,
                account_id=me.account.id,
                picks=chosen,
                actor=me.user.email,
                clock=state.clock,
                settings=state.settings,
                source="admin",
            )
    except SeatbridgeError as refused:
        return invite_page(request, me, area, error=refused, picked=set(pick))
    return done(_home(area), "invited", len(invited))


class NoneChosen(SeatbridgeError):
    code = "web.none_chosen"
    template = N_("Cochez au moins un collaborateur à inviter.")


@router.post("/invite/email")
def invite_by_email(
    request: Request,
    me: Admin,
    area: AdminArea,
    email: Text = "",
    first_name: Annotated[str, Form(max_length=100)] = "",
    last_name: Annotated[str, Form(max_length=100)] = "",
    ssm_only: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A person typed by the admin: linked at once to the one collaborator with this e-mail,
    or held for a manual verification (rule 17); or, when the admin ticks "SSM only",
    invited without any Sage 100 link (audited with the reason)."""
    state = web_state(request)
    person = {
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "ssm_only": ssm_only,
        "reason": reason,
    }
    try:
        with state.sessions.begin() as session:
            (creation,) = onboarding.create_users(
                session,
                account_id=me.account.id,
                people=[
                    NewUser(
                        email=email,
                        first_name=first_name.strip() or None,
                        last_name=last_name.strip() or None,
                        locale=me.user.locale,
                    )
                ],
                actor=me.user.email,
                clock=state.clock,
                settings=state.settings,
                source="admin",
                ssm_only=onboarding.SsmOnly(reason.strip()) if ssm_only else None,
            )
    except SeatbridgeError as refused:
        return invite_page(request, me, area, error=refused, person=person)
    if creation.case is not None:
        return done(area.prefix + "/reviews", "pending")
    return done(_home(area), "linked" if creation.links else "invited", 1)


def licences_page(request: Request, me: SignedIn, area: Area, **extra: Any) -> Response:
    state = web_state(request)
    with state.sessions() as session:
        usage = seat_usage(session, account_id=me.account.id, today=state.clock.today())
    context = {"area": area, "account": me.account, "usage": usage, "code": "", "error": None}
    return page(request, "admin/licences.html", context | extra, status_code=400 if extra else 200)


@router.get("/licences")
def licences(request: Request, me: Admin, area: AdminArea) -> Response:
    return licences_page(request, me, area)


@router.post("/licences")
def apply_code(
    request: Request,
    me: Admin,
    area: AdminArea,
    code: Annotated[str, Form(max_length=2000)] = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """ "Ajouter des licences": a new code replaces the one in force (more seats, new expiry).

    A code that changes the edition, leaves fewer licences than are in use, or allows fewer
    companies than are connected is first shown with what it will do, and applied only once
    the admin confirms (`confirm=yes`); then the page recaps the terms now in force.
    """
    state = web_state(request)
    try:
        keyring = KeyRing.from_settings(state.settings)
        with state.sessions() as session:
            impact = accounts.code_impact(
                session, account_id=me.account.id, code=code, keyring=keyring, clock=state.clock
            )
        if impact.needs_confirmation and confirm != "yes":
            context = {"area": area, "account": me.account, "impact": impact, "code": code}
            return page(request, "admin/licences_confirm.html", context)
        with state.sessions.begin() as session:
            account, _changed = accounts.apply_activation_code(
                session,
                account_id=me.account.id,
                code=code,
                keyring=keyring,
                clock=state.clock,
                actor=me.user.email,
            )
            advanced = account.edition == Edition.ADVANCED.value
    except SeatbridgeError as refused:
        return licences_page(request, me, area, code=code, error=error_message(request, refused))
    return done(ADVANCED_PREFIX + "/licences" if advanced else STARTER_PREFIX, "code")
