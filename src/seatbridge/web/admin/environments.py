"""Environments (Sage 100 companies) of an advanced account: connect, sync now with live
progress, preview what a sync would change, cap their licences."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from seatbridge.accounts import service as accounts
from seatbridge.accounts.errors import InvalidEnvironment
from seatbridge.accounts.seats import seat_usage
from seatbridge.accounts.sources import DirectSources
from seatbridge.auth.sessions import SignedIn
from seatbridge.csvexport import csv_lines
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import _, from_json
from seatbridge.jobs.lease import holder_name
from seatbridge.jobs.orchestrator import Parts, SyncRequest, synchronise
from seatbridge.quality import csv_header, data_quality
from seatbridge.sync.errors import SyncFailed
from seatbridge.web.admin.access import Area, PageRoute, admin_area, current_admin, or_404
from seatbridge.web.admin.queries import latest_runs
from seatbridge.web.admin.sync_jobs import sync_jobs
from seatbridge.web.admin.ui import done, page
from seatbridge.web.i18n import negotiate_locale
from seatbridge.web.pages import error_message, redirect
from seatbridge.web.security import verify_csrf
from seatbridge.web.state import web_state
from seatbridge.web.wizard.companies import check_connection, demo_companies, shown_url
from seatbridge.web.wizard.setup import add_company_checked

router = APIRouter(route_class=PageRoute, dependencies=[Depends(verify_csrf)])
Admin = Annotated[SignedIn, Depends(current_admin)]
AdminArea = Annotated[Area, Depends(admin_area)]
Text = Annotated[str, Form(max_length=2000)]


def environments_page(
    request: Request, me: SignedIn, area: Area, *, status_code: int = 200, **extra: Any
) -> Response:
    state = web_state(request)
    jobs = sync_jobs(request.app)
    with state.sessions() as session:
        environments = accounts.list_environments(session, account_id=me.account.id)
        runs = latest_runs(session, account_id=me.account.id)
        usage = seat_usage(session, account_id=me.account.id, today=state.clock.today())
    seats = {row.environment_id: row for row in usage.environments}
    connected = {environment.source_url or "" for environment in environments}
    context: dict[str, Any] = {
        "area": area,
        "usage": usage,
        "rows": [
            {
                "environment": e,
                "seats": seats.get(e.id),
                "run": runs.get(e.id),
                "job": jobs.get(me.account.id, e.id),
            }
            for e in environments
        ],
        "shown_url": shown_url,
        "offers": demo_companies(state.settings, connected),
        "can_add": len(environments) < me.account.max_environments,
        "check": None,
        "checked_id": None,
        "error": None,
        "name": "",
        "url": "",
    }
    return page(request, "admin/environments.html", context | extra, status_code=status_code)


@router.get("/environments")
def environments(request: Request, me: Admin, area: AdminArea) -> Response:
    return environments_page(request, me, area)


@router.post("/environments")
def add(request: Request, me: Admin, area: AdminArea, name: Text = "", url: Text = "") -> Response:
    problem = add_company_checked(request, me, name, url, wizard=False)
    if problem is not None:
        return environments_page(request, me, area, status_code=400, name=name, url=url, **problem)
    return done(area.prefix + "/environments", "added")


@router.post("/environments/test")
def test(request: Request, me: Admin, area: AdminArea, name: Text = "", url: Text = "") -> Response:
    check = check_connection(url, DirectSources.from_settings(web_state(request).settings))
    return environments_page(
        request, me, area, status_code=200 if check.ok else 400, name=name, url=url, check=check
    )


def environment_view(request: Request, me: SignedIn, environment_id: int) -> dict[str, Any]:
    state = web_state(request)
    with state.sessions() as session, or_404():
        environment = accounts.get_environment(
            session, account_id=me.account.id, reference=environment_id
        )
        run = latest_runs(session, account_id=me.account.id).get(environment_id)
    job = sync_jobs(request.app).get(me.account.id, environment_id)
    in_step = environment.in_step_at
    ago = None if in_step is None else max(0, int((state.clock.now() - in_step).total_seconds()))
    return {
        "in_step_ago": ago,
        "probe_error": from_json(environment.probe_error),  # a Text: shown in the page's language
        "environment": environment,
        "shown_url": shown_url,
        "job": job,
        "run": run,
        "running": job is not None and not job.finished,
    }


@router.get("/environments/{environment_id}")
def environment(request: Request, me: Admin, area: AdminArea, environment_id: int) -> Response:
    context = environment_view(request, me, environment_id) | {"area": area}
    return page(request, "admin/environment.html", context)


@router.get("/environments/{environment_id}/progress")
def progress(request: Request, me: Admin, area: AdminArea, environment_id: int) -> Response:
    context = environment_view(request, me, environment_id) | {"area": area}
    return page(request, "admin/_environment_sync.html", context)


@router.post("/environments/{environment_id}/cadences")
def cadences(
    request: Request,
    me: Admin,
    area: AdminArea,
    environment_id: int,
    probe_seconds: Annotated[int, Form(ge=1, le=3600)],
    sync_interval_minutes: Annotated[int, Form(ge=1, le=10080)],
    full_sync_interval_hours: Annotated[int, Form(ge=1, le=744)],
) -> Response:
    """How often the environment is probed, synced incrementally and reconciled in full."""
    state = web_state(request)
    try:
        with state.sessions.begin() as session, or_404():
            accounts.set_cadences(
                session,
                account_id=me.account.id,
                environment_id=environment_id,
                actor=me.user.email,
                probe_seconds=probe_seconds,
                delta_minutes=sync_interval_minutes,
                full_hours=full_sync_interval_hours,
            )
    except SeatbridgeError as refused:
        context = environment_view(request, me, environment_id) | {
            "area": area,
            "error": error_message(request, refused),
        }
        return page(request, "admin/environment.html", context, status_code=400)
    return redirect(f"{area.prefix}/environments/{environment_id}")


@router.post("/environments/{environment_id}/sync")
def sync_now(
    request: Request,
    me: Admin,
    area: AdminArea,
    environment_id: int,
    confirm: Annotated[bool, Form()] = False,
    full: Annotated[bool, Form()] = False,
) -> Response:
    """ "Synchroniser maintenant" (or confirm a run the safety brake stopped)."""
    with web_state(request).sessions() as session, or_404():
        found = accounts.get_environment(
            session, account_id=me.account.id, reference=environment_id
        )
    try:
        sync_jobs(request.app).start(found, actor=me.user.email, full=full, confirm=confirm)
    except SeatbridgeError as refused:
        context = environment_view(request, me, environment_id) | {
            "area": area,
            "error": error_message(request, refused),
        }
        return page(request, "admin/environment.html", context, status_code=409)
    return redirect(f"{area.prefix}/environments/{environment_id}")


@router.post("/environments/{environment_id}/preview")
def preview(request: Request, me: Admin, area: AdminArea, environment_id: int) -> Response:
    """A dry run: what a sync would change now, recorded as a preview, nothing applied."""
    state = web_state(request)
    with state.sessions() as session, or_404():
        accounts.get_environment(session, account_id=me.account.id, reference=environment_id)
    try:
        result = synchronise(
            state.sessions,
            SyncRequest(
                account_id=me.account.id,
                environment_id=environment_id,
                actor=me.user.email,
                parts=Parts.COLLABORATORS,
                dry_run=True,
            ),
            holder=holder_name("web-preview"),
            settings=state.settings,
            clock=state.clock,
        )
        run_id = result.run.run_id
    except SyncFailed as failed:
        run_id = failed.params["run_id"]
    except SeatbridgeError as refused:
        context = environment_view(request, me, environment_id) | {
            "area": area,
            "error": error_message(request, refused),
        }
        return page(request, "admin/environment.html", context, status_code=400)
    return redirect(f"{area.prefix}/runs/{run_id}")


@router.post("/environments/{environment_id}/cap")
def cap(
    request: Request,
    me: Admin,
    area: AdminArea,
    environment_id: int,
    seat_cap: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Per-environment licence cap (advanced edition); empty means none."""
    state = web_state(request)
    value = seat_cap.strip()
    try:
        if value and not value.isdigit():
            raise InvalidEnvironment(
                reason=_("la limite de licences doit être un nombre entier positif ou nul."),
            )
        with state.sessions.begin() as session, or_404():
            accounts.set_seat_cap(
                session,
                account_id=me.account.id,
                environment_id=environment_id,
                seat_cap=int(value) if value else None,
                actor=me.user.email,
            )
    except SeatbridgeError as refused:
        return environments_page(
            request, me, area, status_code=400, error=error_message(request, refused)
        )
    return done(area.prefix + "/environments", "cap")


@router.get("/environments/{environment_id}/quality")
def quality(request: Request, me: Admin, area: AdminArea, environment_id: int) -> Response:
    """« Qualité des données Sage 100 »: what to fix in Sage, section by section."""
    with web_state(request).sessions() as session, or_404():
        report = data_quality(session, account_id=me.account.id, environment_id=environment_id)
    return page(request, "admin/quality.html", {"area": area, "report": report})


@router.get("/environments/{environment_id}/quality.csv")
def quality_csv(request: Request, me: Admin, area: AdminArea, environment_id: int) -> Response:
    """Every item of the quality report as CSV (spreadsheet-safe cells, UTF-8 with a BOM)."""
    locale = negotiate_locale(request, me.user.locale)
    with web_state(request).sessions() as session, or_404():
        report = data_quality(session, account_id=me.account.id, environment_id=environment_id,
                              limit=None)  # fmt: skip
    name = f"qualite-sage100-{report.environment}.csv".replace('"', "")
    return StreamingResponse(
        csv_lines(csv_header(locale), list(report.csv_rows(locale))),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
