"""Between directory users and SCIM User resources: the representation (with its ETag) and the
profile an identity provider's payload asks for."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from scim2_models import Email, Meta, Name, PatchOp, User

from seatbridge.web.scim import errors
from seatbridge.web.scim.profiles import ScimProfile
from seatbridge.web.scim.views import ScimView

DEFAULT_EMAIL_TYPE = "work"


def to_resource(view: ScimView, *, base_url: str) -> User[Any]:
    """The user as SCIM shows it; `meta.version` is a weak ETag of everything else."""
    user = view.user
    identity = view.identity
    names = (user.first_name, user.last_name)
    resource: User[Any] = User(
        id=str(user.id),
        external_id=identity.external_id if identity else None,
        user_name=view.user_name,
        name=Name(given_name=names[0], family_name=names[1]) if any(names) else None,
        display_name=user.display_name,
        title=user.function,
        active=view.active,
        # Built without re-validation: the directory validated the address when it stored it.
        emails=[
            Email.model_construct(
                value=user.email,
                type=Email.Type((identity and identity.email_type) or DEFAULT_EMAIL_TYPE),
                primary=identity is None or identity.email_primary is not False,
            )
        ],
    )
    modified = max(user.updated_at, identity.updated_at) if identity else user.updated_at
    resource.meta = Meta(
        resource_type="User",
        created=user.created_at,
        last_modified=max(modified, user.created_at),
        location=f"{base_url}/Users/{user.id}",
        version=version_of(resource),
    )
    return resource


def version_of(resource: User[Any]) -> str:
    payload = resource.model_dump(scim_ctx=None, mode="json", exclude={"meta"}, exclude_none=True)
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    return f'W/"{digest[:20]}"'


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
