"""SCIM discovery (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from scim2_models import Context, NotFoundException
from starlette.responses import Response

from seatbridge.web.scim import resources
from seatbridge.web.scim.http import Caller, public_base, scim_response

router = APIRouter()
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def list_response(items: list[dict[str, Any]], *, total: int, start: int = 1) -> dict[str, Any]:
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(items),
        "Resources": items,
    }


@router.get("/ServiceProviderConfig")
def service_provider_config(request: Request, caller: Caller) -> Response:
    documentation = f"{public_base(request)}/api/v1/docs"
    config = resources.service_provider_config(documentation)
    return scim_response(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@router.get("/ResourceTypes")
def resource_types(caller: Caller) -> Response:
    found = [
        kind.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        for kind in (resources.user_resource_type(), resources.group_resource_type())
    ]
    return scim_response(list_response(found, total=len(found)))


@router.get("/ResourceTypes/{name}")
def resource_type(name: str, caller: Caller) -> Response:
    found = next(
        (
            kind
            for kind in (resources.user_resource_type(), resources.group_resource_type())
            if name.lower() == str(kind.id).lower()
        ),
        None,
    )
    if found is None:
        raise NotFoundException(detail=f"no resource type {name[:100]}")
    return scim_response(found.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@router.get("/Schemas")
def schemas(caller: Caller) -> Response:
    found = [s.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for s in resources.schemas()]
    return scim_response(list_response(found, total=len(found)))


@router.get("/Schemas/{schema_id}")
def schema(schema_id: str, caller: Caller) -> Response:
    found = resources.schema_by_id(schema_id)
    if found is None:
        raise NotFoundException(detail=f"no schema {schema_id[:200]}")
    return scim_response(found.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
