"""Between directory users and SCIM User resources: the representation (with its ETag) and the
profile an identity provider's payload asks for."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from scim2_models import Email, PatchOp, User

from seatbridge.web.scim import errors
from seatbridge.web.scim.profiles import ScimProfile
from seatbridge.web.scim.resources import USER_SCHEMA
from seatbridge.web.scim.views import ScimView

DEFAULT_EMAIL_TYPE = "work"


def representation(view: ScimView, *, base_url: str) -> dict[str, Any]:
    """The user as SCIM shows it, built straight from the rows (a list page is 100 of these:
    going through the models cost 0.8 ms per user). `meta.version` is a weak ETag of the rest.

    `to_resource` validates this same dict, so GET, PUT, PATCH and lists show one
    representation and one ETag (tests/scim/test_users.py compares both paths).
    """
    user = view.user
    identity = view.identity
    body: dict[str, Any] = {"schemas": [USER_SCHEMA], "id": str(user.id)}
    if identity is not None and identity.external_id is not None:
        body["externalId"] = identity.external_id
    body["userName"] = view.user_name
    name = {
        key: value
        for key, value in (("familyName", user.last_name), ("givenName", user.first_name))
        if value is not None
    }
    if name:
        body["name"] = name
    body["displayName"] = user.display_name
    if user.function is not None:
        body["title"] = user.function
    body["active"] = view.active
    body["emails"] = [
        {
            "value": user.email,
            "type": (identity and identity.email_type) or DEFAULT_EMAIL_TYPE,
            "primary": identity is None or identity.email_primary is not False,
        }
    ]
    modified = max(user.updated_at, identity.updated_at) if identity else user.updated_at
    body["meta"] = {
        "resourceType": "User",
        "created": _instant(user.created_at),
        "lastModified": _instant(max(modified, user.created_at)),
        "location": f"{base_url}/Users/{user.id}",
        "version": version_of(body),
    }
    return body


def to_resource(view: ScimView, *, base_url: str) -> User[Any]:
    """The same representation as a scim2-models User (for PATCH and attribute selection)."""
    body = representation(view, base_url=base_url)
    emails = body.pop("emails")
    resource: User[Any] = User.model_validate(body)
    # Built without re-validation: the directory validated the address when it stored it (and
    # validation would lower-case the domain the list shows as stored).
    resource.emails = [
        Email.model_construct(
            value=email["value"], type=_email_type(email["type"]), primary=email["primary"]
        )
        for email in emails
    ]
    return resource


def _email_type(raw: str) -> Any:
    try:
        return Email.Type(raw)
    except ValueError:
        return raw


def version_of(body: dict[str, Any]) -> str:
    payload = {key: value for key, value in body.items() if key != "meta"}
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    return f'W/"{digest[:20]}"'


def _instant(moment: dt.datetime) -> str:
    """xsd:dateTime in UTC, as scim2-models writes it."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def to_profile(resource: User[Any]) -> ScimProfile:
    """What a POST or PUT payload (or a patched resource) asks the user to be.

    Omitted `active` and `emails` leave the user's status and e-mail as they are.
    """
    if not resource.user_name:
        raise errors.RequiredAttribute(attribute="userName")
    email, email_type, primary = _chosen_email(resource.emails or [])
    name = resource.name
    return ScimProfile(
        user_name=resource.user_name,
        email=email,
        email_type=email_type,
        email_primary=primary,
        first_name=name.given_name if name else None,
        last_name=name.family_name if name else None,
        title=resource.title,
        external_id=resource.external_id,
        active=resource.active,
        locale=resource.preferred_language or resource.locale,
    )


def touches(patch: PatchOp[User[Any]], attribute: str) -> bool:
    """Whether a PATCH names `attribute`, by path or as a key of a path-less value (Entra)."""
    wanted = attribute.lower()
    for operation in patch.operations or []:
        path = str(operation.path or "").lower()
        if path == wanted or path.startswith(f"{wanted}[") or path.startswith(f"{wanted}."):
            return True
        if not path and isinstance(operation.value, dict):
            keys = {str(key).lower().split(".")[0] for key in operation.value}
            if wanted in keys:
                return True
    return False


def _chosen_email(emails: list[Email]) -> tuple[str | None, str | None, bool | None]:
    """The one address SSM keeps: the primary one, else the work one, else the first."""
    given = [email for email in emails if email.value]
    chosen = (
        next((e for e in given if e.primary), None)
        or next((e for e in given if e.type and str(e.type) == DEFAULT_EMAIL_TYPE), None)
        or next(iter(given), None)
    )
    if chosen is None:
        return None, None, None
    kind = chosen.type.value if isinstance(chosen.type, Email.Type) else chosen.type
    return str(chosen.value), kind, chosen.primary
