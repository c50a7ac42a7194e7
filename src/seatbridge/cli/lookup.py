"""How the command line names accounts and environments ("bijou-sa", "bijou-sa/BIJOU", "3")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seatbridge.accounts import service as accounts
from seatbridge.accounts.errors import EnvironmentNotFound
from seatbridge.accounts.models import Environment


def find_environment(session: Session, reference: str) -> Environment:
    """ACCOUNT/ENVIRONMENT (slug or id / name or id), or a bare environment id."""
    if "/" in reference:
        account_ref, environment_ref = reference.split("/", 1)
        account = accounts.get_account(session, account_ref)
        return accounts.get_environment(session, account_id=account.id, reference=environment_ref)
    if reference.isdigit():
        environment = session.get(Environment, int(reference))
        if environment is not None:
            return environment
    raise EnvironmentNotFound(environment=reference)
