"""How the command line names accounts and environments ("bijou-sa", "bijou-sa/BIJOU", "3")."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts import service as accounts
from seatbridge.accounts.errors import EnvironmentNotFound
from seatbridge.accounts.models import Environment, SourceMode
from seatbridge.cli.common import fail
from seatbridge.i18n import _


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


def direct_environment(sessions: sessionmaker[Session], reference: str) -> tuple[Environment, str]:
    """The environment (detached) and its Sage 100 URL, when this machine reads that database
    itself; one clear line and exit 1 when its on-premise connector feeds it instead."""
    with sessions() as session:
        environment = find_environment(session, reference)
        session.expunge(environment)
    if environment.mode != SourceMode.DIRECT.value or not environment.source_url:
        fail(
            _(
                "l'environnement {environment} est alimenté par son connecteur sur site "
                "(seatbridge connector run) : il ne peut pas être lu d'ici.",
                environment=environment.name,
            ),
            error_code="connector_environment",
            environment_id=environment.id,
        )
    return environment, environment.source_url
