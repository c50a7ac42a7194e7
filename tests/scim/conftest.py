"""SCIM tests: an account behind the web app (SQLite and PostgreSQL) and its `scim` key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from httpx import Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.api.world import ApiWorld, make_world

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class Scim:
    """The identity provider's side: requests with the account's `scim` key."""

    def __init__(self, world: ApiWorld) -> None:
        self.world = world

    def request(self, method: str, path: str, **options: Any) -> Response:
        return self.world.call(method, f"/scim/v2{path}", scope="scim", **options)

    def create(self, user_name: str, **attributes: Any) -> Response:
        payload = {"schemas": [USER_SCHEMA], "userName": user_name} | attributes
        return self.request("POST", "/Users", json=payload)

    def patch(self, user_id: str, *operations: dict[str, Any], **options: Any) -> Response:
        body = {"schemas": [PATCH_SCHEMA], "Operations": list(operations)}
        return self.request("PATCH", f"/Users/{user_id}", json=body, **options)

    def get(self, user_id: str) -> Response:
        return self.request("GET", f"/Users/{user_id}")

    def find(self, scim_filter: str) -> dict[str, Any]:
        response = self.request("GET", "/Users", params={"filter": scim_filter})
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    def seats_used(self) -> int:
        return int(self.world.call("GET", "/api/v1/licence").json()["seats_used"])


@pytest.fixture
def scim(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[Scim]:
    world = make_world(engine, sessions, tmp_path, seats=2)
    with world.client:
        yield Scim(world)
