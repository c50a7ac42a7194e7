"""SCIM filters (RFC 7644 §3.4.2.2) turned into one SQL condition on the account's users.

What Entra ID and Okta send, and what a demanding client may: comparisons `eq`, `ne`, `co`,
`sw`, `ew`, `gt`, `ge`, `lt`, `le` and `pr`, joined by `and` / `or`, negated by `not`, grouped by
parentheses, and value filters on the e-mail (`emails[type eq "work"].value eq "..."`,
`emails[type eq "work" and value co "@"]`). Attributes: `userName` (case-insensitive, served by
the `ix_user_account_scim_user_name` index), `emails` / `emails.value` / `emails.type` /
`emails.primary`, `externalId` (case-exact), `id`, `active`, `name.givenName`,
`name.familyName`, `title`, `meta.created`, `meta.lastModified`. Anything else answers 400
`invalidFilter` naming what is supported.

Unassigned attributes never match a comparison (RFC 7644 §3.4.2.2), so `not (externalId eq "x")`
and `externalId ne "x"` match users without an externalId, and no SQL NULL leaks into `not`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scim2_models import InvalidFilterException, SCIMException, ScimFilter
from scim2_models.path import (
    CompareOperator,
    Comparison,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)
from sqlalchemy import ColumnElement, and_, case, false, func, literal, not_, or_, true

from seatbridge.apikeys.scim import ScimIdentity
from seatbridge.directory.models import User, UserStatus
from seatbridge.web.scim.resources import USER_SCHEMA
from seatbridge.web.scim.views import as_id, normalize_user_name, user_name_column

MAX_FILTER = 1000
MAX_DEPTH = 20
SUPPORTED = (
    "userName, emails[.value|.type|.primary], externalId, id, active, name.givenName, "
    "name.familyName, title, meta.created, meta.lastModified"
)
HOLDING = [status.value for status in UserStatus if status.holds_seat]
Condition = ColumnElement[bool]


@dataclass(frozen=True, slots=True)
class Attribute:
    """How one SCIM attribute reads in SQL."""

    column: Callable[[], Any]
    kind: str  # "text", "exact", "id", "bool", "time"
    nullable: bool = True
    # Case-insensitive attributes compare lower-cased on both sides, except when the column is
    # already stored folded (userName, e-mail): then the index can serve `eq`.
    folded: bool = False


def _email_type() -> ColumnElement[Any]:
    return func.coalesce(ScimIdentity.email_type, literal("work"))


def _email_primary() -> ColumnElement[Any]:
    return func.coalesce(ScimIdentity.email_primary, true())


def _last_modified() -> ColumnElement[Any]:
    return case(
        (
            and_(ScimIdentity.updated_at.is_not(None), ScimIdentity.updated_at > User.updated_at),
            ScimIdentity.updated_at,
        ),
        else_=User.updated_at,
    )


USER_ATTRIBUTES: dict[str, Attribute] = {
    "username": Attribute(user_name_column, "text", nullable=False, folded=True),
    "externalid": Attribute(lambda: ScimIdentity.external_id, "exact"),
    "id": Attribute(lambda: User.id, "id", nullable=False),
    "active": Attribute(lambda: User.status.in_(HOLDING), "bool", nullable=False),
    "name.givenname": Attribute(lambda: User.first_name, "text"),
    "name.familyname": Attribute(lambda: User.last_name, "text"),
    "title": Attribute(lambda: User.function, "text"),
    "meta.created": Attribute(lambda: User.created_at, "time", nullable=False),
    "meta.lastmodified": Attribute(_last_modified, "time", nullable=False),
}
EMAIL_ATTRIBUTES: dict[str, Attribute] = {
    "value": Attribute(lambda: User.email_normalized, "text", nullable=False, folded=True),
    "type": Attribute(_email_type, "text", nullable=False),
    "primary": Attribute(_email_primary, "bool", nullable=False),
}
USER_ATTRIBUTES.update({f"emails.{sub}": found for sub, found in EMAIL_ATTRIBUTES.items()})
USER_ATTRIBUTES["emails"] = EMAIL_ATTRIBUTES["value"]


def condition_of(text: str | None) -> Condition | None:
    """The SQL condition a filter asks for (None: no filter), or 400 invalidFilter."""
    if text is None or not text.strip():
        return None
    if len(text) > MAX_FILTER:
        raise InvalidFilterException(detail=f"filters are limited to {MAX_FILTER} characters")
    try:
        tree = ScimFilter(text).ast
    except (SCIMException, ValueError, RecursionError) as error:
        raise InvalidFilterException(detail=f"invalid filter: {error}") from None
    return _node(tree, USER_ATTRIBUTES, depth=0)


def _node(node: object, attributes: dict[str, Attribute], *, depth: int) -> Condition:
    if depth > MAX_DEPTH:
        raise InvalidFilterException(detail=f"filters nest {MAX_DEPTH} levels at most")
    if isinstance(node, LogicalExpr):
        parts = [_node(term, attributes, depth=depth + 1) for term in node.terms]
        return and_(*parts) if node.op is LogicalOperator.and_ else or_(*parts)
    if isinstance(node, Not):
        return not_(_node(node.expr, attributes, depth=depth + 1))
    if isinstance(node, ValuePath):
        if attributes is not USER_ATTRIBUTES or _name(node.attr_path) != "emails":
            raise InvalidFilterException(
                detail=f"value filters are supported on emails only, not {node.attr_path}"
            )
        # One e-mail per user: "an entry matches" is "the user's e-mail matches".
        return _node(node.val_filter, EMAIL_ATTRIBUTES, depth=depth + 1)
    if isinstance(node, Present):
        attribute = _attribute(node.attr_path, attributes)
        if attribute.kind == "bool" or not attribute.nullable:
            return true()
        column = attribute.column()
        return and_(column.is_not(None), column != "")
    if isinstance(node, Comparison):
        return _comparison(node, _attribute(node.attr_path, attributes))
    raise InvalidFilterException(detail=f"unsupported filter {node}")


def _name(path: Any) -> str:
    if path.uri is not None and path.uri.lower() != USER_SCHEMA.lower():
        raise InvalidFilterException(detail=f"unsupported attribute {path}; supported: {SUPPORTED}")
    return str(path.attr).lower() + (f".{path.sub_attr.lower()}" if path.sub_attr else "")


def _attribute(path: Any, attributes: dict[str, Attribute]) -> Attribute:
    found = attributes.get(_name(path))
    if found is None:
        raise InvalidFilterException(detail=f"unsupported attribute {path}; supported: {SUPPORTED}")
    return found


def _comparison(node: Comparison, attribute: Attribute) -> Condition:
    op = node.op
    if attribute.kind == "bool":
        wanted = _boolean(node.value)
        if op not in (CompareOperator.eq, CompareOperator.ne):
            raise InvalidFilterException(detail=f"{node.attr_path} is a boolean: eq or ne only")
        matched: Condition = attribute.column() if wanted else not_(attribute.column())
        return matched if op is CompareOperator.eq else not_(matched)
    if attribute.kind == "id":
        return _id(node, attribute)
    if attribute.kind == "time":
        return _time(node, attribute)
    if node.value is None or isinstance(node.value, bool | dict | list):
        raise InvalidFilterException(detail=f"{node.attr_path} compares with a string")
    return _text(op, attribute, str(node.value))


def _text(op: CompareOperator, attribute: Attribute, raw: str) -> Condition:
    exact = attribute.kind == "exact"
    column = attribute.column()
    if attribute.folded:
        value = _fold(raw)
    elif exact:
        value = raw
    else:
        column, value = func.lower(column), raw.lower()
    if op is CompareOperator.eq:
        matched: Condition = column == value
    elif op is CompareOperator.ne:
        matched = not_(column == value)
    elif op in (CompareOperator.co, CompareOperator.sw, CompareOperator.ew):
        pattern = _like(value)
        pattern = {
            CompareOperator.co: f"%{pattern}%",
            CompareOperator.sw: f"{pattern}%",
            CompareOperator.ew: f"%{pattern}",
        }[op]
        matched = column.like(pattern, escape="\\")
    else:
        matched = _ordered(op, column, value)
    if not attribute.nullable:
        return matched
    present = attribute.column().is_not(None)
    # `ne` matches users without the attribute; every other comparison needs a value.
    return or_(not_(present), matched) if op is CompareOperator.ne else and_(present, matched)


def _id(node: Comparison, attribute: Attribute) -> Condition:
    if node.op not in (CompareOperator.eq, CompareOperator.ne):
        raise InvalidFilterException(detail="id compares with eq or ne")
    wanted = as_id(str(node.value)) if node.value is not None else None
    matched: Condition = false() if wanted is None else attribute.column() == wanted
    return matched if node.op is CompareOperator.eq else not_(matched)


def _time(node: Comparison, attribute: Attribute) -> Condition:
    try:
        moment = dt.datetime.fromisoformat(str(node.value))
    except ValueError:
        raise InvalidFilterException(
            detail=f"{node.attr_path} compares with an xsd:dateTime (2026-12-04T10:00:00Z)"
        ) from None
    moment = moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    if node.op in (CompareOperator.co, CompareOperator.sw, CompareOperator.ew):
        raise InvalidFilterException(detail=f"{node.attr_path} is a date: no co/sw/ew")
    column: ColumnElement[Any] = attribute.column()
    if node.op is CompareOperator.eq:
        return column == moment
    if node.op is CompareOperator.ne:
        return not_(column == moment)
    return _ordered(node.op, column, moment)


def _ordered(op: CompareOperator, column: ColumnElement[Any], value: Any) -> Condition:
    found: Condition
    if op is CompareOperator.gt:
        found = column > value
    elif op is CompareOperator.ge:
        found = column >= value
    elif op is CompareOperator.lt:
        found = column < value
    elif op is CompareOperator.le:
        found = column <= value
    else:
        raise InvalidFilterException(detail=f"unsupported operator {op}")
    return found


def _boolean(value: object) -> bool:
    # Entra sends booleans as strings in places ("False"): accept both.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise InvalidFilterException(detail=f"expected true or false, got {value!r}")


def _fold(raw: str) -> str:
    # userName and e-mail share one comparison form (trimmed, NFC, lower-cased).
    return normalize_user_name(raw)


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
