"""Account A's keys cannot read or change anything of account B, through any route of /api/v1
(every operation of its OpenAPI document) or /scim/v2 (every route of the SCIM app): B's ids
answer 404 (or an empty list), B's data never shows, and B's rows are unchanged afterwards."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Mount

from seatbridge.db import metadata
from seatbridge.directory.models import User
from tests.api.seed import Seeded, demo_company, seed_account

PARAMETER = re.compile(r"{(\w+)}")
USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def snapshot(sessions: sessionmaker[Session], account_id: int) -> dict[str, list[str]]:
    """Every row that belongs to the account, table by table."""
    rows: dict[str, list[str]] = {}
    with sessions() as session:
        for table in metadata.sorted_tables:
            column = table.c.get("account_id") if table.name != "account" else table.c.id
            if column is None:
                continue
            found = session.execute(select(table).where(column == account_id)).all()
            rows[table.name] = sorted(json.dumps(list(row), default=str) for row in found)
    return rows


def b_emails(sessions: sessionmaker[Session], account_id: int) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(User.email).where(User.account_id == account_id)))


def b_ids(b: Seeded) -> dict[str, int]:
    return {
        "environment_id": b.direct_id,
        "user_id": b.pending_user_id,
        "case_id": b.case_id,
        "run_id": b.run_id,
    }


def api_calls(b: Seeded, b_email: str) -> list[tuple[str, str, Any, bool]]:
    """(method, path, body, aimed at one of B's objects) for every operation of the document."""
    ids = b_ids(b)
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/users"): {"email": b_email},
        ("PATCH", "/users/{user_id}"): {"status": "disabled"},
        ("POST", "/environments"): {"name": "B-LIKE", "mode": "connector"},
        ("PATCH", "/environments/{environment_id}"): {"probe_seconds": 1},
        ("POST", "/invitations"): {
            "people": [{"email": "someone@alpha.fr", "home_environment_id": b.direct_id}]
        },
        ("POST", "/invitations/resend"): {"user_ids": [b.invited_user_id]},
        ("POST", "/invitations/revoke"): {"user_ids": [b.invited_user_id]},
        ("POST", "/reviews/{case_id}/resolution"): {"action": "ssm_only"},
        ("POST", "/environments/{environment_id}/syncs"): {"dry_run": False},
    }
    calls = [
        (method, path, bodies.get((method, path)), bool(ids.keys() & set(PARAMETER.findall(path))))
        for method, path in operations(b)
    ]
    # Last: A's new user then shows B's address in A's lists, rightly (it is now A's too).
    return sorted(calls, key=lambda call: call[:2] == ("POST", "/users"))


def operations(b: Seeded) -> list[tuple[str, str]]:
    document = b.world.client.get("/api/v1/openapi.json").json()
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def scim_routes(app: FastAPI) -> list[tuple[str, str]]:
    (mount,) = [r for r in app.routes if isinstance(r, Mount) and r.path == "/scim/v2"]
    return sorted(
        (method, route.path)
        for route in mount.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    )


def test_account_a_reaches_nothing_of_account_b(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, demo_sage: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = seed_account(engine, sessions, tmp_path / "a", company=demo_sage, domain="alpha")
    negoce = demo_company(tmp_path, "NEGOCE")
    b = seed_account(engine, sessions, tmp_path / "b", company=negoce, domain="beta")
    emails = b_emails(sessions, b.world.account_id)
    before = snapshot(sessions, b.world.account_id)
    api = a.world

    # A creates a user with the address of one of B's users (legitimately: it is A's to use);
    # the other addresses of B must never show up anywhere in A's answers.
    shared, emails = emails[-1], emails[:-1]
    for method, path, body, aimed in api_calls(b, shared):
        url = "/api/v1" + PARAMETER.sub(lambda found: str(b_ids(b).get(found[1], 1)), path)
        if method == "GET" and path == "/users":
            url += f"?environment_id={b.direct_id}"
        if method == "GET" and path == "/audit":
            url += f"?subject_type=user&subject_id={b.pending_user_id}"
        response = api.call(method, url, json=body)
        where = f"{method} {url}: {response.status_code} {response.text[:200]}"
        if path.startswith("/connector/"):
            assert response.status_code in (403, 404), where  # connector keys only
        elif aimed:
            assert response.status_code == 404, where
        else:
            assert response.status_code < 500, where
        if method == "GET" and not aimed and response.status_code == 200:
            items = response.json().get("items")
            if path in ("/users", "/audit"):
                assert items == [], where
        if (method, path) == ("POST", "/users"):
            # B's address is A's to use; it matches nothing of B's (rule 17 looks in A only).
            created = response.json()
            assert response.status_code == 201 and created["user"]["links"] == [], where
            assert all(
                c["environment_id"] != b.direct_id for c in created["review_case"]["candidates"]
            ), where
            continue
        assert not any(email in response.text for email in emails), where
        assert "beta" not in response.text.lower() and "negoce" not in response.text.lower()

    connector = f"connector:{a.direct_id}"
    for path in ("", "/syncs", "/collaborators", f"/syncs/{b.run_id}"):
        url = f"/api/v1/environments/{b.direct_id}{path}"
        assert api.call("GET", url, scope=connector).status_code == 403, url

    scim = scim_calls(b, emails)
    covered = {(method, template) for method, template, _, _, _ in scim}
    assert covered >= set(scim_routes(api.client.app))
    for method, _, path, body, expected in scim:
        response = api.call(method, "/scim/v2" + path, scope="scim", json=body)
        where = f"SCIM {method} {path}: {response.status_code} {response.text[:200]}"
        assert response.status_code == expected, where
        assert not any(email in response.text for email in emails), where
        if path.startswith("/Users?") or path.endswith(".search"):
            assert response.json()["totalResults"] == 0, where

    assert snapshot(sessions, b.world.account_id) == before


def scim_calls(b: Seeded, emails: list[str]) -> list[tuple[str, str, str, Any, int]]:
    """(method, route, path, body, expected status) for every route of the SCIM app."""
    user = f"/Users/{b.linked_user_id}"
    one = "/Users/{user_id}"
    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": False}],
    }
    replacement = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": emails[0],
        "active": False,
    }
    # B's user in A's role groups: "no such user in this account", B's role unchanged.
    members = {"displayName": "SSM Admins", "members": [{"value": str(b.linked_user_id)}]}
    members_patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "add", "path": "members", "value": members["members"]}],
    }
    search = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": f'emails.value eq "{emails[0]}"',
    }
    return [
        ("GET", one, user, None, 404),
        ("PUT", one, user, replacement, 404),
        ("PATCH", one, user, patch, 404),
        ("DELETE", one, user, None, 404),
        ("GET", "/Users", f'/Users?filter=userName eq "{emails[0]}"', None, 200),
        ("GET", "/Users", f'/Users?filter=id eq "{b.linked_user_id}"', None, 200),
        ("POST", "/Users/.search", "/Users/.search", search, 200),
        ("POST", "/.search", "/.search", search, 200),
        ("POST", "/Users", "/Users", {"userName": "nobody@alpha.fr", "active": False}, 201),
        ("GET", "/Groups", "/Groups", None, 200),
        ("GET", "/Groups/{group_id}", "/Groups/admins", None, 200),
        ("PATCH", "/Groups/{group_id}", "/Groups/admins", members_patch, 400),
        ("PUT", "/Groups/{group_id}", "/Groups/admins", members, 400),
        ("DELETE", "/Groups/{group_id}", "/Groups/admins", None, 403),
        ("POST", "/Groups", "/Groups", {"displayName": "SSM Admins"}, 409),
        ("GET", "/ServiceProviderConfig", "/ServiceProviderConfig", None, 200),
        ("GET", "/ResourceTypes", "/ResourceTypes", None, 200),
        ("GET", "/ResourceTypes/{name}", "/ResourceTypes/User", None, 200),
        ("GET", "/Schemas", "/Schemas", None, 200),
        ("GET", "/Schemas/{schema_id}", f"/Schemas/{USER}", None, 200),
    ]
