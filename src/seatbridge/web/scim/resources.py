"""What the SCIM endpoint publishes: the User attributes it keeps, its resource type, its
configuration. The published schema is the contract: every readWrite attribute round-trips.

Attributes outside it (phoneNumbers, addresses, the enterprise extension, ...) are accepted and
ignored, as identity providers send them whatever the schema says.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import EmailStr
from scim2_models import (
    URN,
    AnyExtension,
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ComplexAttribute,
    Email,
    ETag,
    Filter,
    Group,
    Mutability,
    Pagination,
    Patch,
    Required,
    Resource,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
DEFAULT_COUNT = 100
MAX_COUNT = 200


class PublishedName(ComplexAttribute):
    family_name: str | None = None
    given_name: str | None = None


class PublishedEmail(ComplexAttribute):
    value: Annotated[EmailStr | None, Required.true] = None
    type: Email.Type | None = None
    primary: bool | None = None


class PublishedUser(Resource[AnyExtension]):
    """The User attributes seatbridge keeps (RFC 7643 §4.1, narrowed)."""

    __schema__ = URN(USER_SCHEMA)

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    name: PublishedName | None = None
    # Computed from the names (or the e-mail): writes are ignored, as RFC 7643 §7 says.
    display_name: Annotated[str | None, Mutability.read_only] = None
    title: str | None = None
    # Every user has a status: `active` can be set, never removed.
    active: Annotated[bool | None, Required.true] = None
    # The e-mail is what identifies a person in SSM (rule 2): a user always has one.
    emails: Annotated[list[PublishedEmail] | None, Required.true] = None


def user_schema() -> Schema:
    return PublishedUser.to_schema().model_copy(
        update={"name": "User", "description": "User Account"}
    )


def schemas() -> list[Schema]:
    """The User schema and the three that describe discovery itself (RFC 7644 §4)."""
    return [
        user_schema(),
        Group.to_schema(),
        ServiceProviderConfig.to_schema(),
        ResourceType.to_schema(),
        Schema.to_schema(),
    ]


def user_resource_type() -> ResourceType:
    return ResourceType.from_resource(PublishedUser).model_copy(
        update={"description": "User Account"}
    )


def service_provider_config(documentation: str) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=documentation,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_COUNT),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=True),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer API key",
                description=(
                    "An API key of scope scim, created by an administrator of the account "
                    "(seatbridge apikeys create ACCOUNT --scope scim): "
                    "Authorization: Bearer sbk_..."
                ),
                primary=True,
            )
        ],
        pagination=Pagination(
            cursor=False, index=True, default_page_size=DEFAULT_COUNT, max_page_size=MAX_COUNT
        ),
    )


def group_resource_type() -> ResourceType:
    return ResourceType.from_resource(Group).model_copy(
        update={"description": "SSM roles: SSM Admins, SSM Managers"}
    )


def schema_by_id(schema_id: str) -> Schema | None:
    return next((s for s in schemas() if str(s.id).lower() == schema_id.lower()), None)
