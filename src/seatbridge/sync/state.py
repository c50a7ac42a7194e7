"""What the planner knows of seatbridge's side: plain views of the rows a change touches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class MirrorView:
    co_no: int
    cb_marq: int
    last_name: str | None
    first_name: str | None
    function: str | None
    phone: str | None
    mobile: str | None
    email: str | None
    email_normalized: str | None
    is_salesperson: bool
    dormant: bool | None
    modified_at: dt.datetime | None
    deleted: bool
    not_invitable: str | None


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    email: str
    email_normalized: str
    status: str
    first_name: str | None
    last_name: str | None
    function: str | None
    phone: str | None
    mobile: str | None
    home_environment_id: int | None
    linked_co_no: int | None  # the collaborator this user is linked to in this environment
    ssm_only: bool = False  # an admin's choice: never linked by e-mail


@dataclass
class EnvironmentState:
    """Seatbridge's side of one environment, as far as the change set needs it."""

    account_id: int
    environment_id: int
    deactivate_on_dormant: bool = False
    auto_invite_salespeople: bool = False
    mirror: dict[int, MirrorView] = field(default_factory=dict)
    # normalised e-mail -> CO_No of live mirror rows with it (for the e-mails the change touches)
    peers: dict[str, set[int]] = field(default_factory=dict)
    links: dict[int, int] = field(default_factory=dict)  # CO_No -> user id
    users: dict[int, UserView] = field(default_factory=dict)
    user_by_email: dict[str, int] = field(default_factory=dict)
    # open review cases by key: ("shared_email", email), ("user", user id), ("collision", uid)
    open_cases: dict[tuple[str, str], int] = field(default_factory=dict)
    linked_users: int = 0
