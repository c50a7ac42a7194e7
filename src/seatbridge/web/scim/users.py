"""/Users: create (rule 17), read, list and filter, replace, patch, delete (RFC 7644 §3)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from scim2_models import (
    Context,
    PatchOp,
    ResponseParameters,
    SearchRequest,
    User,
)
from starlette.responses import Response

from seatbridge.apikeys.service import ApiCaller
from seatbridge.web.scim import errors, provisioning, resources, views
from seatbridge.web.scim.discovery import list_response
from seatbridge.web.scim.filters import condition_of
from seatbridge.web.scim.http import (
    LENIENT,
    Body,
    Caller,
    check_version,
    public_base,
    scim_response,
)
from seatbridge.web.scim.mapping import representation, to_profile, to_resource, touches
from seatbridge.web.scim.profiles import ScimProfile
from seatbridge.web.state import web_state

router = APIRouter()
Text = Annotated[str | None, Query(max_length=1000)]
# Longer than filters.MAX_FILTER, so that a long filter gets SCIM's own invalidFilter answer.
FilterText = Annotated[str | None, Query(max_length=4000)]


@router.get("/Users")
def list_users(
    request: Request,
    caller: Caller,
    filter: FilterText = None,
    startIndex: int = 1,
    count: int = resources.DEFAULT_COUNT,
    attributes: Text = None,
    excludedAttributes: Text = None,
) -> Response:
    return _search(
        request, caller.account_id, filter, startIndex, count, attributes, excludedAttributes
    )


@router.post("/Users/.search")
@router.post("/.search")
def search_users(request: Request, caller: Caller, body: Body) -> Response:
    found: SearchRequest[Any] = SearchRequest.model_validate(body, scim_ctx=Context.SEARCH_REQUEST)
    return _search(
        request,
        caller.account_id,
        str(found.filter) if found.filter else None,
        found.start_index or 1,
        resources.DEFAULT_COUNT if found.count is None else found.count,
        ",".join(str(path) for path in found.attributes or []) or None,
        ",".join(str(path) for path in found.excluded_attributes or []) or None,
    )


@router.post("/Users")
def create_user(request: Request, caller: Caller, body: Body) -> Response:
    resource: User[Any] = User.model_validate(
        body, scim_ctx=Context.RESOURCE_CREATION_REQUEST, scim_policy=LENIENT
    )
    profile = to_profile(resource)
    if profile.active is None:
        profile = dataclasses.replace(profile, active=True)
    state = web_state(request)
    with state.sessions.begin() as session:
        view = provisioning.create(
            session,
            account_id=caller.account_id,
            profile=profile,
            actor=caller.actor,
            clock=state.clock,
            settings=state.settings,
        )
        created = to_resource(view, base_url=_base(request))
    return _resource_response(created, Context.RESOURCE_CREATION_RESPONSE, 201)


@router.get("/Users/{user_id}")
def get_user(
    request: Request,
    user_id: str,
    caller: Caller,
    attributes: Text = None,
    excludedAttributes: Text = None,
) -> Response:
    state = web_state(request)
    with state.sessions.begin() as session:
        view = views.get_view(session, account_id=caller.account_id, user_id=user_id)
        found = to_resource(view, base_url=_base(request))
    version = found.meta.version if found.meta else None
    if version and request.headers.get("if-none-match") in (version, "*"):
        return Response(status_code=304, headers={"ETag": version})
    return _resource_response(
        found,
        Context.RESOURCE_QUERY_RESPONSE,
        200,
        _parameters(attributes, excludedAttributes),
    )


@router.put("/Users/{user_id}")
def replace_user(request: Request, user_id: str, caller: Caller, body: Body) -> Response:
    resource: User[Any] = User.model_validate(
        body, scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST, scim_policy=LENIENT
    )
    profile = to_profile(resource)
    return _apply(request, caller, user_id, lambda _current: profile)


@router.patch("/Users/{user_id}")
def patch_user(request: Request, user_id: str, caller: Caller, body: Body) -> Response:
    patch: PatchOp[User[Any]] = PatchOp[User[Any]].model_validate(
        body, scim_ctx=Context.RESOURCE_PATCH_REQUEST, scim_policy=LENIENT
    )

    def patched(current: User[Any]) -> ScimProfile:
        working = current.model_copy(deep=True)
        patch.patch(working, scim_policy=LENIENT)
        if not working.emails:
            raise errors.RequiredAttribute(attribute="emails")
        if touches(patch, "active") and working.active is None:
            raise errors.RequiredAttribute(attribute="active")
        profile = to_profile(working)
        # Only an operation on `active` changes the status: `active` is also false for a user
        # awaiting review, which a PATCH of their name must not disable.
        return dataclasses.replace(
            profile, active=profile.active if touches(patch, "active") else None
        )

    return _apply(request, caller, user_id, patched, explicit_active=touches(patch, "active"))


@router.delete("/Users/{user_id}")
def delete_user(request: Request, user_id: str, caller: Caller) -> Response:
    state = web_state(request)
    with state.sessions.begin() as session:
        view = views.get_view(session, account_id=caller.account_id, user_id=user_id)
        current = to_resource(view, base_url=_base(request))
        check_version(request, _version(current), user=view.user_name)
        provisioning.delete(
            session,
            account_id=caller.account_id,
            user_id=view.user.id,
            actor=caller.actor,
            clock=state.clock,
        )
    return Response(status_code=204)


def _apply(
    request: Request,
    caller: ApiCaller,
    user_id: str,
    desired: Callable[[User[Any]], ScimProfile],
    *,
    explicit_active: bool = False,
) -> Response:
    """Load, check If-Match, compute the wanted profile from the current state, replace."""
    state = web_state(request)
    with state.sessions.begin() as session:
        view = views.get_view(session, account_id=caller.account_id, user_id=user_id)
        current = to_resource(view, base_url=_base(request))
        check_version(request, _version(current), user=view.user_name)
        updated = provisioning.replace(
            session,
            account_id=caller.account_id,
            user_id=view.user.id,
            profile=desired(current),
            actor=caller.actor,
            clock=state.clock,
            settings=state.settings,
            explicit_active=explicit_active,
        )
        result = to_resource(updated, base_url=_base(request))
    return _resource_response(result, Context.RESOURCE_REPLACEMENT_RESPONSE, 200)


def _search(
    request: Request,
    account_id: int,
    filter_text: str | None,
    start_index: int,
    count: int,
    attributes: str | None,
    excluded: str | None,
) -> Response:
    condition = condition_of(filter_text)
    parameters = _parameters(attributes, excluded)
    start = min(max(start_index, 1), views.MAX_ID)  # past the end is an empty page
    size = min(max(count, 0), resources.MAX_COUNT)
    state = web_state(request)
    with state.sessions.begin() as session:
        total, found = views.search(
            session, account_id=account_id, condition=condition, start_index=start, count=size
        )
        base = _base(request)
        items = (
            [representation(view, base_url=base) for view in found]
            if parameters is None
            else [
                to_resource(view, base_url=base).model_dump(
                    scim_ctx=Context.SEARCH_RESPONSE, response_parameters=parameters
                )
                for view in found
            ]
        )
    return scim_response(list_response(items, total=total, start=start))


def _parameters(attributes: str | None, excluded: str | None) -> ResponseParameters[Any] | None:
    if not attributes and not excluded:
        return None
    parameters: ResponseParameters[Any] = ResponseParameters[User[Any]].model_validate(
        {"attributes": attributes, "excludedAttributes": excluded}
    )
    return parameters


def _resource_response(
    resource: User[Any],
    context: Context,
    status_code: int,
    parameters: ResponseParameters[Any] | None = None,
) -> Response:
    version = _version(resource)
    headers = {"ETag": version}
    if status_code == 201 and resource.meta and resource.meta.location:
        headers["Location"] = resource.meta.location
    payload = resource.model_dump(scim_ctx=context, response_parameters=parameters)
    return scim_response(payload, status_code=status_code, headers=headers)


def _version(resource: User[Any]) -> str:
    return str(resource.meta.version) if resource.meta and resource.meta.version else ""


def _base(request: Request) -> str:
    return public_base(request) + str(request.scope.get("root_path", ""))
