"""The OpenAPI document is fit for client generators: valid (openapi-spec-validator), readable
unique operationIds, every parameter described; and a client generated from it by
openapi-python-client calls the running app (SQLite and PostgreSQL)."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from tests.api.world import ApiWorld

OPERATION_ID = re.compile(r"^[a-z]+(?:[A-Z][a-z]+)*$")


def document(api: ApiWorld) -> dict[str, Any]:
    found: dict[str, Any] = api.client.get("/api/v1/openapi.json").json()
    return found


def test_the_document_is_valid_and_every_operation_is_named_and_described(
    api: ApiWorld,
) -> None:
    spec = document(api)
    validate(spec)  # raises on any OpenAPI 3.1 schema violation
    names = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            name = operation["operationId"]
            assert OPERATION_ID.match(name), (method, path, name)
            assert operation.get("summary") and operation.get("description"), (method, path)
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (name, parameter["name"])
            names.append(name)
    assert len(names) == len(set(names)) >= 27
    assert {"listCollaborators", "createInvitations", "getLicence", "runSync"} <= set(names)


def test_every_request_body_has_an_example_its_model_accepts(api: ApiWorld) -> None:
    from seatbridge.web.api.schemas import environments, invitations, reviews, users

    models = {
        "EnvironmentCreate": environments.EnvironmentCreate,
        "EnvironmentUpdate": environments.EnvironmentUpdate,
        "SyncRequest": environments.SyncRequest,
        "UserCreate": users.UserCreate,
        "UserUpdate": users.UserUpdate,
        "InvitationCreate": invitations.InvitationCreate,
        "UserIds": invitations.UserIds,
        "ReviewResolution": reviews.ReviewResolution,
    }
    spec = document(api)
    bodies = set()
    for path, item in spec["paths"].items():
        for operation in item.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = str(
                    content["schema"].get("$ref")
                    or content["schema"].get("anyOf", [{}])[0].get("$ref", "")
                )
                if ref and not path.startswith("/connector/"):
                    bodies.add(ref.rsplit("/", 1)[-1])
    assert bodies == set(models)
    for name, model in models.items():
        (example,) = spec["components"]["schemas"][name]["examples"]
        model.model_validate(example)  # the app accepts what the document shows


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A client package generated once from the document (openapi-python-client)."""
    from seatbridge.config import Settings
    from seatbridge.db.engine import create_store_engine
    from seatbridge.web import create_app

    folder = tmp_path_factory.mktemp("generated")
    app = create_app(Settings(demo=True), engine=create_store_engine("sqlite://"))
    (folder / "spec.json").write_text(
        json.dumps(TestClient(app).get("/api/v1/openapi.json").json())
    )
    tool = shutil.which("openapi-python-client") or str(
        Path(sys.executable).parent / "openapi-python-client"
    )
    bin_dir = str(Path(sys.executable).parent)
    done = subprocess.run(
        [tool, "generate", "--path", "spec.json", "--output-path", "sbclient", "--meta", "none"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ | {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout, done.stdout
    return folder


def test_a_generated_client_calls_the_app(api: ApiWorld, generated: Path) -> None:
    sys.path.insert(0, str(generated))
    try:
        client_module = importlib.import_module("sbclient.client")
        get_licence = importlib.import_module("sbclient.api.licence.get_licence")
        create_user = importlib.import_module("sbclient.api.users.create_user")
        list_users = importlib.import_module("sbclient.api.users.list_users")
        models = importlib.import_module("sbclient.models")
    finally:
        sys.path.remove(str(generated))
    transport = TestClient(
        api.client.app,
        base_url="http://testserver/api/v1",
        headers=api.headers("admin"),
    )
    client = client_module.AuthenticatedClient(
        base_url="http://testserver/api/v1", token=api.token("admin")
    ).set_httpx_client(transport)

    licence = get_licence.sync(client=client)
    assert (licence.seats_total, licence.seats_used) == (3, 0)
    created = create_user.sync(
        client=client, body=models.UserCreate(email="ana@elsewhere.fr", first_name="Ana")
    )
    assert created.user.email == "ana@elsewhere.fr"
    assert created.review_case is not None  # no collaborator has the address: rule 17
    page = list_users.sync(client=client, q="ana")
    assert [user.email for user in page.items] == ["ana@elsewhere.fr"]
    refused = create_user.sync_detailed(
        client=client, body=models.UserCreate(email="ana@elsewhere.fr")
    )
    assert refused.status_code == 409
    assert isinstance(refused.parsed, models.Problem)
