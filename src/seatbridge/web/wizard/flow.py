"""Wizard steps 3 to 5: the first sync, the collaborators to invite, sending, the summary."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form
from starlette.requests import Request
from starlette.responses import Response

from seatbridge import onboarding
from seatbridge.accounts import service as accounts
from seatbridge.accounts.seats import seat_usage
from seatbridge.auth.sessions import SignedIn
from seatbridge.directory import service as directory
from seatbridge.directory.models import UserStatus
from seatbridge.errors import SeatbridgeError
from seatbridge.sync.models import SyncRun
from seatbridge.web.admin.access import current_admin
from seatbridge.web.admin.queries import copied_figures, latest_runs
from seatbridge.web.admin.sync_jobs import sync_jobs
from seatbridge.web.pages import error_message, redirect
from seatbridge.web.state import web_state
from seatbridge.web.wizard.common import (
    STEP_PATHS,
    require_step,
    wizard_admin,
    wizard_page,
    wizard_router,
)
from seatbridge.web.wizard.progress import Step, mark_finished
from seatbridge.web.wizard.selection import (
    Pick,
    checked_picks,
    companies,
    default_picks,
    parse_picks,
)

router = wizard_router()
WizardAdmin = Annotated[SignedIn, Depends(wizard_admin)]
Picks = Annotated[list[str], Form()]


def sync_view(request: Request, me: SignedIn) -> dict[str, Any]:
    """Each company's first sync: running (with progress), done, or failed, with what it found.

    The run shown is the one this wizard started (its job's run) when this process has it, else
    the environment's latest run; the figures under it are counted in the store (the mirror of
    collaborators, the copied customers and documents), so they are what the next step offers.
    """
    state = web_state(request)
    jobs = sync_jobs(request.app)
    with state.sessions() as session:
        environments = accounts.list_environments(session, account_id=me.account.id)
        runs = latest_runs(session, account_id=me.account.id)
        found = []
        for environment in environments:
            job = jobs.get(me.account.id, environment.id)
            run = runs.get(environment.id)
            if job is not None and job.run_id is not None:
                run = session.get(SyncRun, job.run_id) or run
            found.append((environment, job, run))
        figures = copied_figures(session, account_id=me.account.id)
    running = any(job is not None and not job.finished for _, job, _ in found)
    synced = all(run is not None and run.status == "succeeded" for _, _, run in found)
    rows = [
        {"environment": e, "job": job, "run": run, "figures": figures.get(e.id)}
        for e, job, run in found
    ]
    return {"rows": rows, "running": running, "ready": synced and not running}


@router.post("/activation/sync")
def start_sync(request: Request, me: WizardAdmin) -> Response:
    require_step(request, me, Step.SYNC)
    jobs = sync_jobs(request.app)
    with web_state(request).sessions() as session:
        environments = accounts.list_environments(session, account_id=me.account.id)
    for environment in environments:
        job = jobs.get(me.account.id, environment.id)
        if job is None or job.finished:
            jobs.start(environment, actor=me.user.email)
    return redirect(STEP_PATHS[Step.SYNC])


@router.get("/activation/sync")
def sync_page(request: Request, me: WizardAdmin) -> Response:
    require_step(request, me, Step.SYNC)
    return wizard_page(request, me, "wizard/sync.html", Step.SYNC, sync_view(request, me))


@router.get("/activation/sync/progress")
def sync_progress(request: Request, me: WizardAdmin) -> Response:
    require_step(request, me, Step.SYNC)
    return wizard_page(request, me, "wizard/_sync_status.html", Step.SYNC, sync_view(request, me))


def _choose(
    request: Request,
    me: SignedIn,
    picks: list[str] | None,
    *,
    error: SeatbridgeError | None = None,
    confirm: bool = False,
    empty: bool = False,
) -> Response:
    state = web_state(request)
    with state.sessions() as session:
        usage = seat_usage(session, account_id=me.account.id, today=state.clock.today())
        found = companies(session, account_id=me.account.id, usage=usage)
    left_out = 0
    if picks is None:
        picked, left_out = default_picks(found, usage.free)
    else:
        picked = {f"{e}:{c}" for e, c in parse_picks(picks, found)}
    context = {
        "companies": found,
        "picked": picked,
        "left_out": left_out,
        "error": error_message(request, error) if error else None,
        "empty": empty,
    }
    step, name = (
        (Step.SEND, "wizard/confirm.html") if confirm else (Step.INVITE, "wizard/invite.html")
    )
    return wizard_page(request, me, name, step, context, status_code=400 if error else 200)


@router.get("/activation/invite")
def invite_page(request: Request, me: WizardAdmin) -> Response:
    require_step(request, me, Step.INVITE)
    return _choose(request, me, None)


def _checked(
    request: Request, me: SignedIn, picks: list[str]
) -> tuple[list[Pick], SeatbridgeError | None]:
    state = web_state(request)
    with state.sessions() as session:
        return checked_picks(session, account=me.account, values=picks, today=state.clock.today())


@router.post("/activation/invite")
def review_choice(request: Request, me: WizardAdmin, pick: Picks = []) -> Response:  # noqa: B006
    require_step(request, me, Step.INVITE)
    chosen, problem = _checked(request, me, pick)
    if problem is not None:
        return _choose(request, me, pick, error=problem)
    if not chosen:
        return _choose(request, me, [], empty=True)
    return _choose(request, me, pick, confirm=True)


@router.post("/activation/back")
def back_to_choice(request: Request, me: WizardAdmin, pick: Picks = []) -> Response:  # noqa: B006
    require_step(request, me, Step.INVITE)
    return _choose(request, me, pick)


@router.post("/activation/send")
def send(request: Request, me: WizardAdmin, pick: Picks = []) -> Response:  # noqa: B006
    require_step(request, me, Step.INVITE)
    chosen, problem = _checked(request, me, pick)
    if problem is not None:
        return _choose(request, me, pick, error=problem)
    state = web_state(request)
    try:
        with state.sessions.begin() as session:
            invited = onboarding.invite_collaborators(
                session,
                account_id=me.account.id,
                picks=chosen,
                actor=me.user.email,
                clock=state.clock,
                settings=state.settings,
                source="wizard",
            )
            mark_finished(
                session, account_id=me.account.id, actor=me.user.email, invited=len(invited)
            )
    except SeatbridgeError as refused:
        return _choose(request, me, pick, error=refused)
    return redirect(f"/activation/done?n={len(invited)}")


@router.post("/activation/finish")
def finish_without_inviting(request: Request, me: WizardAdmin) -> Response:
    require_step(request, me, Step.INVITE)
    with web_state(request).sessions.begin() as session:
        mark_finished(session, account_id=me.account.id, actor=me.user.email, invited=0)
    return redirect("/")


@router.get("/activation/done")
def summary(request: Request, me: Annotated[SignedIn, Depends(current_admin)]) -> Response:
    state = web_state(request)
    with state.sessions() as session:
        invited = directory.list_users(session, account_id=me.account.id, status=UserStatus.INVITED)
    count = request.query_params.get("n", "")
    context = {"invited": invited, "sent": int(count) if count.isdigit() else len(invited)}
    return wizard_page(request, me, "wizard/done.html", Step.SEND, context)
