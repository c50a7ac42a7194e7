"""GET /licence: the licence in force and the seats (shared by all environments, rule 7)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from seatbridge.accounts import service as accounts
from seatbridge.accounts.seats import seat_usage
from seatbridge.web.api.auth import Reader
from seatbridge.web.api.problems import problem_responses
from seatbridge.web.api.schemas.licence import EnvironmentSeatsRead, LicenceRead
from seatbridge.web.state import web_state

router = APIRouter(tags=["licence"])


@router.get("/licence", responses=problem_responses())
def get_licence(request: Request, caller: Reader) -> LicenceRead:
    """Edition, expiry, and seats: total, used, free, over quota."""
    state = web_state(request)
    with state.sessions.begin() as session:
        account = accounts.get_account(session, caller.account_id)
        usage = seat_usage(session, account_id=caller.account_id, today=state.clock.today())
        return LicenceRead(
            edition=account.edition,
            licence_state=usage.license.value,
            expires_on=account.license_expires_on,
            grace_days=account.license_grace_days,
            max_environments=account.max_environments,
            seats_total=usage.total,
            seats_used=usage.used,
            seats_free=usage.free,
            over_quota=usage.over_quota,
            can_assign=usage.can_assign,
            environments=[
                EnvironmentSeatsRead(
                    environment_id=e.environment_id, name=e.name, seat_cap=e.cap, seats_used=e.used
                )
                for e in usage.environments
            ],
        )
