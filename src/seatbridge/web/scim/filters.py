"""The filters identity providers send (RFC 7644 §3.4.2.2), turned into equality criteria.

Supported: `eq` on userName (case-insensitive), emails / emails.value, externalId and id, joined
by `and` (what Entra ID and Okta send). Anything else answers 400 invalidFilter.
"""

from __future__ import annotations

from scim2_models import InvalidFilterException, SCIMException, ScimFilter
from scim2_models.path import CompareOperator, Comparison, LogicalExpr, LogicalOperator

from seatbridge.web.scim.resources import USER_SCHEMA
from seatbridge.web.scim.views import Criteria

ATTRIBUTES = {
    "username": "user_name",
    "emails": "email",
    "emails.value": "email",
    "externalid": "external_id",
    "id": "user_id",
}
MAX_FILTER = 1000


def criteria_of(text: str | None) -> Criteria:
    if text is None or not text.strip():
        return Criteria()
    if len(text) > MAX_FILTER:
        raise InvalidFilterException(detail=f"filters are limited to {MAX_FILTER} characters")
    try:
        tree = ScimFilter(text).ast
    except (SCIMException, ValueError) as error:
        raise InvalidFilterException(detail=f"invalid filter: {error}") from None
    terms = (
        tree.terms if isinstance(tree, LogicalExpr) and tree.op is LogicalOperator.and_ else (tree,)
    )
    wanted: dict[str, str] = {}
    for term in terms:
        field, value = _equality(term)
        if wanted.setdefault(field, value) != value:
            return Criteria(matches_nothing=True)
    return Criteria(
        user_name=wanted.get("user_name"),
        email=wanted.get("email"),
        external_id=wanted.get("external_id"),
        user_id=wanted.get("user_id"),
    )


def _equality(term: object) -> tuple[str, str]:
    if not isinstance(term, Comparison) or term.op is not CompareOperator.eq:
        raise InvalidFilterException(
            detail="only 'eq' comparisons joined by 'and' are supported "
            f"(on {', '.join(sorted({'userName', 'emails.value', 'externalId', 'id'}))})"
        )
    path = term.attr_path
    if path.uri is not None and path.uri.lower() != USER_SCHEMA.lower():
        raise InvalidFilterException(detail=f"unsupported attribute {path}")
    name = path.attr.lower() + (f".{path.sub_attr.lower()}" if path.sub_attr else "")
    field = ATTRIBUTES.get(name)
    if field is None or term.value is None or isinstance(term.value, bool):
        raise InvalidFilterException(detail=f"unsupported filter on {path}")
    return field, str(term.value)
