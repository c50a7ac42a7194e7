"""Entry point of the `seatbridge` command.

Command groups are imported only when they run: `seatbridge --help` lists them from `COMMANDS`
without importing SQLAlchemy, the web, jobs or driver stacks, and `seatbridge license inspect`
imports the licence module alone (issue 18; `make bench-cli` measures it). A test checks that each
help line here starts the help its module declares (keep them in step when a docstring changes).
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperCommand

from seatbridge.cli.errors import SeatbridgeGroup

# name -> (module, attribute: a Typer group or a command function, the one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "db": ("seatbridge.cli.db", "app", "The seatbridge store (database)."),
    "license": ("seatbridge.cli.license", "app", "Activation codes: keys, issuing, inspection."),
    "account": ("seatbridge.cli.account", "app", "Customer accounts and their activation codes."),
    "env": ("seatbridge.cli.env", "app", "Environments: one per connected Sage 100 company."),
    "sage100": (
        "seatbridge.cli.sage100",
        "app",
        "Sage 100 databases (read-only, plus demo companies).",
    ),
    "commerce": (
        "seatbridge.cli.commerce",
        "app",
        "Customers and sales documents replicated from Sage 100 (read-only).",
    ),
    "apikeys": (
        "seatbridge.cli.apikeys",
        "app",
        "API keys of an account (REST API, SCIM, connectors).",
    ),
    "connector": (
        "seatbridge.cli.connector",
        "app",
        "The on-premise connector: reads Sage 100 here and pushes the changes to the server.",
    ),
    "users": ("seatbridge.cli.users", "app", "Users of an account."),
    "reviews": ("seatbridge.cli.reviews", "app", "Manual verifications (review cases)."),
    "sync": (
        "seatbridge.cli.sync",
        "sync",
        "Synchronise a Sage 100 company: its collaborators into the directory, then its "
        "customers and sales documents.",
    ),
    "demo": (
        "seatbridge.cli.demo",
        "demo",
        "Prepare the demo (companies, vendor key, code, account, admin) and serve it.",
    ),
    "serve": (
        "seatbridge.cli.serve",
        "serve",
        "Serve the web pages (sign-in, passwords, demo mailbox).",
    ),
    "worker": (
        "seatbridge.cli.worker",
        "worker",
        "Run scheduled syncs, mail delivery and clean-up (PostgreSQL store).",
    ),
}


def load(name: str) -> Any:
    """The real click command of `name`, importing its module now."""
    module_name, attribute, _help = COMMANDS[name]
    target = getattr(importlib.import_module(module_name), attribute)
    command: Any
    if isinstance(target, typer.Typer):
        if name == "users":  # the invitation commands live beside the users group
            _add_invitation_commands(target)
        command = typer.main.get_group(target)
    else:
        single = typer.Typer()
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


def _add_invitation_commands(users: typer.Typer) -> None:
    from seatbridge.cli import invitations

    names = {info.name for info in users.registered_commands}
    if "invite" not in names:
        users.command("invite")(invitations.invite)
    if "send-password" not in names:
        users.command("send-password")(invitations.send_password)


class LazyGroup(SeatbridgeGroup):
    """Lists its commands from `COMMANDS`; imports one only to run it (or to complete it)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS:
            return None
        if getattr(ctx, "resilient_parsing", False):  # shell completion wants the real options
            return self.load(cmd_name)
        return TyperCommand(name=cmd_name, help=COMMANDS[cmd_name][2])

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] in COMMANDS:
            self.load(args[0])
        return super().resolve_command(ctx, args)

    def load(self, name: str) -> Any:
        if name not in self.commands:
            self.commands[name] = load(name)
        return self.commands[name]


app = typer.Typer(
    name="seatbridge",
    cls=LazyGroup,
    help="Sage 100 collaborators -> SaaS users, with seat licences.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def root() -> None:
    """Sage 100 collaborators -> SaaS users, with seat licences."""


def main() -> None:
    app()
