"""Out-of-range input never gives a 500 (issue 13): every GET route of the app's route table (pages,
/api/v1, /scim/v2), signed in as an admin or with an admin API key, with hostile values in each
path and query parameter: huge ids, negative ids, extreme dates, NUL bytes, very long text."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from starlette.routing import Mount

from seatbridge.apikeys import service as apikeys
from tests.webui.conftest import Advanced, Site

HOSTILE = [
    "99999999999999999999",
    "-1",
    "0",
    "0001-01-01",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00+14:00",
    "a\x00b",
    "x" * 5000,
    "%",
    "'",
]
PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


def get_routes(app: FastAPI, prefix: str = "") -> list[tuple[str, list[str]]]:
    """(path, query parameter names) of every GET route, mounted sub-applications included."""
    found = []
    for route in app.routes:
        if isinstance(route, Mount) and isinstance(route.app, FastAPI):
            found += get_routes(route.app, prefix + route.path)
            continue
        # FastAPI 0.165 keeps included routers as one entry each; expand them.
        contexts = getattr(route, "effective_route_contexts", None)
        for one in contexts() if contexts else [route]:
            if hasattr(one, "dependant") and "GET" in (one.methods or ()):
                names = [param.alias for param in one.dependant.query_params]
                found.append((prefix + one.path, names))
    return found


def test_every_get_route_survives_hostile_values(site: Site, advanced: Advanced) -> None:
    with site.sessions.begin() as session:
        token = apikeys.create_key(
            session,
            account_id=advanced.account_id,
            name="walker",
            scope="admin",
            actor="test",
            clock=site.web.clock,
        ).token
    site.sign_in(advanced.admin)
    routes = get_routes(site.web.app)
    assert len(routes) > 40  # the whole table, not a sample
    crashes = []
    client = site.web.client
    for path, query_names in routes:
        headers = {"Authorization": f"Bearer {token}"} if path.startswith(("/api", "/scim")) else {}
        for value in HOSTILE:
            url = PARAM.sub(quote(value, safe="").replace("\\", "\\\\"), path)
            for query in [{}, *({name: value} for name in query_names)]:
                response = client.get(url, params=query, headers=headers, follow_redirects=False)
                if response.status_code >= 500 or "Traceback" in response.text:
                    crashes.append(f"{response.status_code} GET {url[:80]} {query!r:.80}")
    assert not crashes, "\n".join(crashes[:40]) + f"\n({len(crashes)} in all)"


@pytest.mark.parametrize("depth", [100_000])
def test_deeply_nested_json_on_scim_and_the_api(site: Site, advanced: Advanced, depth: int) -> None:
    with site.sessions.begin() as session:
        token = apikeys.create_key(
            session,
            account_id=advanced.account_id,
            name="deep",
            scope="admin",
            actor="test",
            clock=site.web.clock,
        ).token
    body = "[" * depth + "]" * depth
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for path in ("/scim/v2/Users", "/api/v1/users"):
        response = site.web.client.post(path, content=body, headers=headers)
        assert 400 <= response.status_code < 500, (path, response.status_code)
