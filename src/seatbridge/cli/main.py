"""Entry point of the `seatbridge` command."""

from __future__ import annotations

import typer

from seatbridge.cli import (
    account,
    apikeys,
    commerce,
    connector,
    db,
    demo,
    env,
    invitations,
    license,
    reviews,
    sage100,
    serve,
    sync,
    users,
    worker,
)
from seatbridge.cli.errors import SeatbridgeGroup

app = typer.Typer(
    name="seatbridge",
    cls=SeatbridgeGroup,
    help="Sage 100 collaborators -> SaaS users, with seat licences.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(license.app, name="license")
app.add_typer(account.app, name="account")
app.add_typer(env.app, name="env")
app.add_typer(sage100.app, name="sage100")
app.add_typer(commerce.app, name="commerce")
app.add_typer(apikeys.app, name="apikeys")
app.add_typer(connector.app, name="connector")
users.app.command("invite")(invitations.invite)
users.app.command("send-password")(invitations.send_password)
app.add_typer(users.app, name="users")
app.add_typer(reviews.app, name="reviews")
app.command("sync")(sync.sync)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)


def main() -> None:
    app()
