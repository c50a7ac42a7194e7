"""Environments: list, connect a Sage 100 company, read one, its collaborator mirror."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from seatbridge.accounts import errors as account_errors
from seatbridge.accounts import service as accounts
from seatbridge.accounts.models import SourceMode
from seatbridge.accounts.sources import DirectSources, require_allowed
from seatbridge.csvexport import csv_lines
from seatbridge.quality import csv_header, data_quality
from seatbridge.sage100.connect import create_sage100_engine
from seatbridge.sage100.errors import Sage100Error
from seatbridge.web.api import pagination, present, queries
from seatbridge.web.api.auth import EnvironmentReader, EnvironmentWriter, ItemId, Reader, Writer
from seatbridge.web.api.problems import locale_of, problem_responses
from seatbridge.web.api.schemas.common import PRINTABLE
from seatbridge.web.api.schemas.environments import (
    CollaboratorPage,
    EnvironmentCreate,
    EnvironmentList,
    EnvironmentRead,
    EnvironmentUpdate,
    QualityReportRead,
)
from seatbridge.web.state import web_state

router = APIRouter(tags=["environments"])
Search = Annotated[str | None, Query(max_length=100, pattern=PRINTABLE)]


@router.get("/environments", responses=problem_responses())
def list_environments(request: Request, caller: Reader) -> EnvironmentList:
    """The account's environments (one per connected Sage 100 company); a handful at most."""
    with web_state(request).sessions.begin() as session:
        found = accounts.list_environments(session, account_id=caller.account_id)
        return EnvironmentList(items=[present.environment_read(e) for e in found])


@router.post("/environments", status_code=201, responses=problem_responses(409, 422))
def create_environment(
    request: Request, body: EnvironmentCreate, caller: Writer
) -> EnvironmentRead:
    """Connect a Sage 100 company (the edition caps how many; rule 10, 11)."""
    state = web_state(request)
    sources = DirectSources.from_settings(state.settings)
    if body.mode is SourceMode.DIRECT and body.source_url:
        require_allowed(body.source_url, sources)  # the operator's allow-list, before anything
        try:  # a URL the reader could use (nothing is opened here)
            create_sage100_engine(body.source_url).dispose()
        except Sage100Error as error:
            raise account_errors.InvalidEnvironment(reason=error.text) from None
    with state.sessions.begin() as session:
        environment = accounts.add_environment(
            session,
            account_id=caller.account_id,
            name=body.name,
            actor=caller.actor,
            mode=body.mode,
            source_url=body.source_url,
            seat_cap=body.seat_cap,
            on_dormant=body.on_dormant,
            sources=sources,
        )
        return present.environment_read(environment)


@router.get("/environments/{environment_id}", responses=problem_responses(404, 422))
def get_environment(
    request: Request, environment_id: ItemId, caller: EnvironmentReader
) -> EnvironmentRead:
    with web_state(request).sessions.begin() as session:
        environment = accounts.get_environment(
            session, account_id=caller.account_id, reference=environment_id
        )
        return present.environment_read(environment)


@router.patch("/environments/{environment_id}", responses=problem_responses(404, 422))
def update_environment(
    request: Request, environment_id: ItemId, body: EnvironmentUpdate, caller: EnvironmentWriter
) -> EnvironmentRead:
    """Set how often the environment is probed for changes (`probe_seconds`), synced
    incrementally whatever the probe says (`sync_interval_minutes`) and reconciled in full
    (`full_sync_interval_hours`)."""
    with web_state(request).sessions.begin() as session:
        environment = accounts.set_cadences(
            session,
            account_id=caller.account_id,
            environment_id=environment_id,
            actor=caller.actor,
            probe_seconds=body.probe_seconds,
            delta_minutes=body.sync_interval_minutes,
            full_hours=body.full_sync_interval_hours,
        )
        return present.environment_read(environment)


@router.get("/environments/{environment_id}/collaborators", responses=problem_responses(404, 422))
def list_collaborators(
    request: Request,
    environment_id: ItemId,
    caller: EnvironmentReader,
    invitable: bool | None = None,
    salesperson: bool | None = None,
    q: Search = None,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> CollaboratorPage:
    """The Sage 100 collaborators seen in this environment, with whether each can be invited
    and why not (by CO_No)."""
    after = pagination.decode_cursor(cursor)
    with web_state(request).sessions.begin() as session:
        accounts.get_environment(session, account_id=caller.account_id, reference=environment_id)
        rows = queries.collaborators_page(
            session,
            account_id=caller.account_id,
            environment_id=environment_id,
            after=after,
            limit=limit,
            invitable=invitable,
            salesperson=salesperson,
            text=q,
        )
        return CollaboratorPage(
            items=[present.collaborator_read(row, user_id) for row, user_id in rows[:limit]],
            limit=limit,
            next_cursor=pagination.next_cursor([row.co_no for row, _ in rows], limit),
        )


@router.get("/environments/{environment_id}/quality", responses=problem_responses(404, 422))
def get_quality(
    request: Request, environment_id: ItemId, caller: EnvironmentReader
) -> QualityReportRead:
    """« Qualité des données Sage 100 »: collaborators that cannot be invited and why, rows the
    last runs set aside, customers and documents without a representative — each with the Sage
    field to correct (the first 200 of each; `/quality.csv` has them all)."""
    with web_state(request).sessions() as session:
        report = data_quality(session, account_id=caller.account_id, environment_id=environment_id)
    return QualityReportRead.model_validate(report.as_dict(locale_of(request)))


@router.get(
    "/environments/{environment_id}/quality.csv",
    responses=problem_responses(404, 422) | {200: {"content": {"text/csv": {}}}},
    response_class=StreamingResponse,
)
def get_quality_csv(
    request: Request, environment_id: ItemId, caller: EnvironmentReader
) -> StreamingResponse:
    """Every item of the quality report as CSV (UTF-8 with a BOM; cells that a spreadsheet would
    read as formulas are neutralised)."""
    locale = locale_of(request)
    with web_state(request).sessions() as session:
        report = data_quality(session, account_id=caller.account_id,
                              environment_id=environment_id, limit=None)  # fmt: skip
    return StreamingResponse(
        csv_lines(csv_header(locale), list(report.csv_rows(locale))),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="qualite-{environment_id}.csv"'},
    )
