"""Property-based fuzzing of /api/v1 against its own OpenAPI document (schemathesis, in-process):
no server error, and every response conforms to the documented statuses, types and schemas."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.api.seed import seed_account

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 12


def test_every_operation_conforms_to_the_openapi_document(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, demo_sage: Path
) -> None:
    seeded = seed_account(engine, sessions, tmp_path, company=demo_sage)
    headers = {"Authorization": f"Bearer {seeded.world.token('admin')}"}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", seeded.world.client.app)
    failures: dict[str, BaseException] = {}
    tested = 0
    for found in schema.get_all_operations():
        operation = found.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            conforms()
        except Exception as failure:  # noqa: BLE001 (collected, reported below per operation)
            failures[operation.label] = failure
        tested += 1
    assert tested >= 20
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
