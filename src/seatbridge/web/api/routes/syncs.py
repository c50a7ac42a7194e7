"""Sync runs of an environment: run one now (or preview it), list them, read one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request

from seatbridge.accounts import service as accounts
from seatbridge.accounts.models import SourceMode
from seatbridge.invitations.service import welcome_hook
from seatbridge.jobs.lease import holder_name
from seatbridge.jobs.orchestrator import Parts, SyncRequest, synchronise
from seatbridge.web.api import pagination, present, queries
from seatbridge.web.api.auth import EnvironmentReader, EnvironmentWriter, ItemId
from seatbridge.web.api.errors import ConnectorEnvironment
from seatbridge.web.api.problems import locale_of, problem_responses
from seatbridge.web.api.schemas.environments import SyncRequest as SyncBody
from seatbridge.web.api.schemas.environments import SyncRunDetail, SyncRunPage
from seatbridge.web.state import web_state

router = APIRouter(tags=["sync runs"])


@router.post(
    "/environments/{environment_id}/syncs",
    status_code=201,
    responses=problem_responses(404, 409, 422, 502),
)
def run_environment_sync(
    request: Request,
    environment_id: ItemId,
    caller: EnvironmentWriter,
    body: Annotated[SyncBody | None, Body()] = None,
) -> SyncRunDetail:
    """Read Sage 100 now and apply (or only plan, with `dry_run`); answers when the run ends.

    The collaborators, then the customers and sales documents (`collaborators_only` to skip
    those). Refused (409 `sync_running`) while another process syncs the environment.

    A run stopped by the safety brake is `blocked`: run it again with `confirm`. A run that
    cannot read Sage 100 is recorded `failed` and answers 502 with its `run_id`.
    """
    wanted = body or SyncBody()
    state = web_state(request)
    with state.sessions() as session:
        environment = accounts.get_environment(
            session, account_id=caller.account_id, reference=environment_id
        )
        name, mode, url = environment.name, environment.mode, environment.source_url
    if mode != SourceMode.DIRECT.value or not url:
        raise ConnectorEnvironment(environment=name)
    result = synchronise(
        state.sessions,
        SyncRequest(
            account_id=caller.account_id,
            environment_id=environment_id,
            actor=caller.actor,
            parts=Parts.COLLABORATORS if wanted.collaborators_only else Parts.ALL,
            full=wanted.full,
            dry_run=wanted.dry_run,
            confirm=wanted.confirm,
        ),
        holder=holder_name(f"api:{caller.public_id}"),
        settings=state.settings,
        clock=state.clock,
        on_invited=welcome_hook(settings=state.settings, clock=state.clock, actor=caller.actor),
    )
    outcome = result.run
    with state.sessions() as session:
        run = queries.get_run(
            session,
            account_id=caller.account_id,
            environment_id=environment_id,
            run_id=outcome.run_id,
        )
        return present.run_detail(run, locale_of(request))


@router.get("/environments/{environment_id}/syncs", responses=problem_responses(404, 422))
def list_syncs(
    request: Request,
    environment_id: ItemId,
    caller: EnvironmentReader,
    limit: pagination.Limit = pagination.DEFAULT_LIMIT,
    cursor: pagination.Cursor = None,
) -> SyncRunPage:
    """Runs of the environment, newest first (without their actions)."""
    after = pagination.decode_cursor(cursor)
    with web_state(request).sessions.begin() as session:
        accounts.get_environment(session, account_id=caller.account_id, reference=environment_id)
        runs = queries.runs_page(
            session,
            account_id=caller.account_id,
            environment_id=environment_id,
            after=after,
            limit=limit,
        )
        return SyncRunPage(
            items=[present.run_read(run, locale_of(request)) for run in runs[:limit]],
            limit=limit,
            next_cursor=pagination.next_cursor([run.id for run in runs], limit),
        )


@router.get("/environments/{environment_id}/syncs/{run_id}", responses=problem_responses(404, 422))
def get_sync(
    request: Request, environment_id: ItemId, run_id: ItemId, caller: EnvironmentReader
) -> SyncRunDetail:
    """One run with its actions (the first 500) and their reasons."""
    with web_state(request).sessions.begin() as session:
        run = queries.get_run(
            session, account_id=caller.account_id, environment_id=environment_id, run_id=run_id
        )
        return present.run_detail(run, locale_of(request))
