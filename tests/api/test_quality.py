"""GET /api/v1/environments/{id}/quality and /quality.csv: the same report as the page."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from seatbridge.accounts.models import Environment
from seatbridge.commerce.replication import replicate
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.runner import run_sync
from seatbridge.sync.source import Sage100Source
from tests.api.world import ApiWorld
from tests.test_quality import dirty_shop


def test_quality_report_and_csv(api: ApiWorld, tmp_path: Path) -> None:
    sage = dirty_shop(tmp_path / "bijou.db")
    environment_id = api.environments["A"]
    with api.sessions() as session:
        environment: Environment = session.get_one(Environment, environment_id)
        Session.object_session(environment).expunge(environment)  # type: ignore[union-attr]
    with Sage100Reader(sage.url) as reader:
        run_sync(api.sessions, account_id=api.account_id, environment_id=environment_id,
                 source=Sage100Source(reader), actor="test", clock=api.clock)  # fmt: skip
        replicate(api.sessions, environment=environment, reader=reader, clock=api.clock)
    url = f"/api/v1/environments/{environment_id}/quality"
    response = api.call("GET", url, scope="read")
    assert response.status_code == 200
    body = response.json()
    assert body["problems"] == 11
    assert [s["kind"] for s in body["sections"]] == [
        "collaborators", "rows_set_aside", "customers_without_rep", "documents_without_rep",
    ]  # fmt: skip
    english = api.call("GET", url, scope="read", headers={"Accept-Language": "en"}).json()
    assert english["sections"][0]["items"][0]["problem"] == "no e-mail address"
    exported = api.call("GET", url + ".csv", scope="read")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    lines = exported.text.lstrip("\ufeff").splitlines()
    assert len(lines) == 12 and any("'=HYPERLINK" in line for line in lines)
    assert api.call("GET", "/api/v1/environments/999999/quality", scope="read").status_code == 404
