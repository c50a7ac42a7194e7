"""What a key may do: `admin`, `read`, `scim`, or `connector:<environment id>`."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from seatbridge.apikeys import errors


class ScopeKind(enum.StrEnum):
    ADMIN = "admin"  # everything of the REST API in the account
    READ = "read"  # the REST API's reads
    SCIM = "scim"  # the SCIM endpoint (an identity provider), nothing else
    CONNECTOR = "connector"  # one environment: its reads, its syncs


class Access(enum.StrEnum):
    """What an operation needs."""

    READ = "read"
    WRITE = "write"
    SCIM = "scim"


@dataclass(frozen=True, slots=True)
class Scope:
    kind: ScopeKind
    environment_id: int | None = None

    def __str__(self) -> str:
        if self.kind is ScopeKind.CONNECTOR:
            return f"{self.kind.value}:{self.environment_id}"
        return self.kind.value

    def allows(self, access: Access, *, environment_id: int | None = None) -> bool:
        """Whether an operation needing `access` (on `environment_id`, if it is about one) is
        allowed; a connector key only ever reaches its own environment."""
        if self.kind is ScopeKind.ADMIN:
            return access in (Access.READ, Access.WRITE)
        if self.kind is ScopeKind.READ:
            return access is Access.READ
        if self.kind is ScopeKind.SCIM:
            return access is Access.SCIM
        return (
            access in (Access.READ, Access.WRITE)
            and environment_id is not None
            and environment_id == self.environment_id
        )

    def require(self, access: Access, *, environment_id: int | None = None) -> None:
        if not self.allows(access, environment_id=environment_id):
            needed = access.value if environment_id is None else f"{access.value}:{environment_id}"
            raise errors.ScopeDenied(scope=str(self), needed=needed)


def parse_scope(text: str) -> Scope:
    raw = text.strip().lower()
    kind, _, argument = raw.partition(":")
    try:
        scope_kind = ScopeKind(kind)
    except ValueError:
        raise errors.InvalidScope(scope=text) from None
    if scope_kind is ScopeKind.CONNECTOR:
        if not argument.isdigit() or len(argument) > 18:
            raise errors.InvalidScope(scope=text)
        return Scope(scope_kind, int(argument))
    if argument:
        raise errors.InvalidScope(scope=text)
    return Scope(scope_kind)
