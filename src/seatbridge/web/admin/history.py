"""What happened: the sync runs with their actions, and the audit log (filters, CSV export)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from seatbridge.accounts import service as accounts
from seatbridge.audit.names import actor_labels, people
from seatbridge.audit.sentences import describe
from seatbridge.auth.sessions import SignedIn
from seatbridge.csvexport import csv_lines
from seatbridge.i18n import Text
from seatbridge.sync.models import RunStatus
from seatbridge.sync.plan import FIELD_LABELS
from seatbridge.web.admin.access import Area, PageRoute, admin_area, current_admin
from seatbridge.web.admin.queries import (
    AUDIT_PAGE_SIZE,
    RUNS_PAGE_SIZE,
    AuditFilters,
    audit_choices,
    export_audit_events,
    find_audit_events,
    find_runs,
    get_run,
)
from seatbridge.web.admin.ui import page
from seatbridge.web.security import verify_csrf
from seatbridge.web.state import web_state

router = APIRouter(route_class=PageRoute, dependencies=[Depends(verify_csrf)])
Admin = Annotated[SignedIn, Depends(current_admin)]
AdminArea = Annotated[Area, Depends(admin_area)]
CSV_COLUMNS = ("occurred_at", "actor", "action", "subject_type", "subject_id", "before", "after")


def _number(value: str | None, default: int | None = None) -> int | None:
    return int(value) if value and value.isdigit() else default


@router.get("/runs")
def runs(request: Request, me: Admin, area: AdminArea) -> Response:
    params = request.query_params
    environment_id = _number(params.get("environment"))
    status = params.get("status", "") if params.get("status") in set(RunStatus) else ""
    page_number = max(1, _number(params.get("page"), 1) or 1)
    with web_state(request).sessions() as session:
        found, total = find_runs(
            session,
            account_id=me.account.id,
            environment_id=environment_id,
            status=status,
            page=page_number,
        )
        actors = actor_labels(session, account_id=me.account.id, actors={r.actor for r in found})
        environments = accounts.list_environments(session, account_id=me.account.id)
    context = {
        "area": area,
        "runs": found,
        "actors": actors,
        "total": total,
        "page_number": page_number,
        "pages": max(1, -(-total // RUNS_PAGE_SIZE)),
        "environments": environments,
        "names": {e.id: e.name for e in environments},
        "environment_id": environment_id,
        "status": status,
        "statuses": list(RunStatus),
    }
    return page(request, "admin/runs.html", context)


@router.get("/runs/{run_id}")
def run(request: Request, me: Admin, area: AdminArea, run_id: int) -> Response:
    with web_state(request).sessions() as session:
        found = get_run(session, account_id=me.account.id, run_id=run_id)
        if found is None:
            raise HTTPException(status_code=404)
        environment = accounts.get_environment(
            session, account_id=me.account.id, reference=found.environment_id
        )
        actions = found.actions or []
        names = people(
            session,
            account_id=me.account.id,
            collaborators={(environment.id, a["co_no"]) for a in actions if a.get("co_no")},
            user_ids={a["user_id"] for a in actions if a.get("user_id")},
            environment_ids={environment.id},
        )
        actor = actor_labels(session, account_id=me.account.id, actors=[found.actor])[found.actor]
    context = {
        "area": area,
        "run": found,
        "environment": environment,
        "names": names,
        "actor": actor,
        "field_label": lambda key: Text(FIELD_LABELS[key]) if key in FIELD_LABELS else key,
    }
    return page(request, "admin/run.html", context)


def audit_filters(request: Request) -> AuditFilters:
    params = request.query_params
    return AuditFilters(
        actor=params.get("actor", "")[:200],
        action=params.get("action", "")[:60],
        subject=params.get("subject", "")[:40],
        since=_day(params.get("since")),
        until=_day(params.get("until")),
        page=max(1, _number(params.get("page"), 1) or 1),
    )


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/audit")
def audit(request: Request, me: Admin, area: AdminArea) -> Response:
    state = web_state(request)
    filters = audit_filters(request)
    with state.sessions() as session:
        events, total = find_audit_events(
            session,
            account_id=me.account.id,
            filters=filters,
            zone=ZoneInfo(state.settings.timezone),
        )
        actions, subjects = audit_choices(session, account_id=me.account.id)
        views = describe(session, account_id=me.account.id, events=events)
    context = {
        "area": area,
        "events": views,
        "total": total,
        "filters": filters,
        "pages": max(1, -(-total // AUDIT_PAGE_SIZE)),
        "actions": actions,
        "subjects": subjects,
        "as_json": _as_json,
    }
    return page(request, "admin/audit.html", context)


def _as_json(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


@router.get("/audit.csv")
def audit_csv(request: Request, me: Admin, area: AdminArea) -> Response:
    """The filtered log as CSV (UTF-8 with a BOM, so that spreadsheet software reads accents)."""
    state = web_state(request)
    filters = audit_filters(request)
    zone = ZoneInfo(state.settings.timezone)

    def rows() -> Iterator[tuple[object, ...]]:
        with state.sessions() as session:
            for event in export_audit_events(
                session, account_id=me.account.id, filters=filters, zone=zone
            ):
                moment = event.occurred_at
                aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
                yield (
                    aware.isoformat(timespec="seconds"),
                    event.actor,
                    event.action,
                    event.subject_type,
                    event.subject_id,
                    _as_json(event.before),
                    _as_json(event.after),
                )

    name = f"audit-{me.account.slug}-{state.clock.today().isoformat()}.csv"
    return StreamingResponse(
        csv_lines(CSV_COLUMNS, rows()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
