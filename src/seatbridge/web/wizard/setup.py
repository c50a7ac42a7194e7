"""Wizard steps 1 and 2: the activation code, then the Sage 100 companies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form
from starlette.requests import Request
from starlette.responses import Response

from seatbridge.accounts import service as accounts
from seatbridge.accounts.errors import AccountError
from seatbridge.accounts.sources import DirectSources
from seatbridge.auth.sessions import SignedIn
from seatbridge.licensing import KeyRing, LicenseError
from seatbridge.sage100.errors import Sage100Error
from seatbridge.web.admin.access import or_404
from seatbridge.web.pages import error_message, redirect
from seatbridge.web.state import web_state
from seatbridge.web.wizard.common import (
    STEP_PATHS,
    require_step,
    wizard_admin,
    wizard_page,
    wizard_router,
)
from seatbridge.web.wizard.companies import (
    ConnectionCheck,
    check_connection,
    demo_companies,
    shown_url,
)
from seatbridge.web.wizard.progress import Step, next_step

router = wizard_router()
WizardAdmin = Annotated[SignedIn, Depends(wizard_admin)]
CODE_PAGE = "wizard/code.html"
COMPANIES_PAGE = "wizard/companies.html"


@router.get("/activation")
def start(request: Request, me: WizardAdmin) -> Response:
    with web_state(request).sessions() as session:
        return redirect(STEP_PATHS[next_step(session, account=me.account)])


@router.get("/activation/code")
def code_page(request: Request, me: WizardAdmin) -> Response:
    return wizard_page(request, me, CODE_PAGE, Step.CODE, {"code": "", "error": None})


@router.post("/activation/code")
def code_submit(
    request: Request, me: WizardAdmin, code: Annotated[str, Form(max_length=2000)] = ""
) -> Response:
    state = web_state(request)
    try:
        keyring = KeyRing.from_settings(state.settings)
        with state.sessions.begin() as session:
            accounts.apply_activation_code(
                session,
                account_id=me.account.id,
                code=code,
                keyring=keyring,
                clock=state.clock,
                actor=me.user.email,
            )
    except (LicenseError, AccountError) as error:
        context = {"code": code, "error": error_message(request, error)}
        return wizard_page(request, me, CODE_PAGE, Step.CODE, context, status_code=400)
    return redirect(STEP_PATHS[Step.COMPANIES])


def _companies(request: Request, me: SignedIn, *, status_code: int = 200, **extra: Any) -> Response:
    state = web_state(request)
    with state.sessions() as session:
        environments = accounts.list_environments(session, account_id=me.account.id)
    connected = {environment.source_url or "" for environment in environments}
    context: dict[str, Any] = {
        "environments": environments,
        "shown_url": shown_url,
        "offers": demo_companies(state.settings, connected),
        "can_add": len(environments) < me.account.max_environments,
        "check": None,
        "checked_id": None,
        "error": None,
        "name": "",
        "url": "",
    } | extra
    return wizard_page(
        request, me, COMPANIES_PAGE, Step.COMPANIES, context, status_code=status_code
    )


@router.get("/activation/companies")
def companies_page(request: Request, me: WizardAdmin) -> Response:
    require_step(request, me, Step.COMPANIES)
    return _companies(request, me)


@router.post("/activation/companies")
def add_company(
    request: Request,
    me: WizardAdmin,
    name: Annotated[str, Form(max_length=200)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    require_step(request, me, Step.COMPANIES)
    error = add_company_checked(request, me, name, url)
    if error is not None:
        return _companies(request, me, status_code=400, name=name, url=url, **error)
    return redirect(STEP_PATHS[Step.COMPANIES] + "?done=added")


def add_company_checked(
    request: Request, me: SignedIn, name: str, url: str, *, wizard: bool = True
) -> dict[str, Any] | None:
    """Connect a company once its connection test passes; the page's error context otherwise."""
    state = web_state(request)
    sources = DirectSources.from_settings(state.settings)
    check = check_connection(url, sources)
    if not check.ok:
        return {"check": check}
    try:
        with state.sessions.begin() as session:
            accounts.add_environment(
                session,
                account_id=me.account.id,
                name=name,
                actor=me.user.email,
                source_url=url.strip(),
                wait_for_first_sync=wizard,
                sources=sources,
            )
    except AccountError as refused:
        return {"error": error_message(request, refused)}
    return None


@router.post("/activation/companies/test")
def test_company(
    request: Request,
    me: WizardAdmin,
    name: Annotated[str, Form(max_length=200)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    require_step(request, me, Step.COMPANIES)
    check = check_connection(url, DirectSources.from_settings(web_state(request).settings))
    return _companies(
        request, me, status_code=200 if check.ok else 400, name=name, url=url, check=check
    )


@router.post("/activation/companies/{environment_id}/test")
def test_connected(request: Request, me: WizardAdmin, environment_id: int) -> Response:
    require_step(request, me, Step.COMPANIES)
    with web_state(request).sessions() as session, or_404():
        environment = accounts.get_environment(
            session, account_id=me.account.id, reference=environment_id
        )
    check = (
        check_connection(
            environment.source_url, DirectSources.from_settings(web_state(request).settings)
        )
        if environment.source_url
        else ConnectionCheck(url="", error=Sage100Error())
    )
    return _companies(
        request,
        me,
        status_code=200 if check.ok else 400,
        check=check,
        checked_id=environment_id,
    )
