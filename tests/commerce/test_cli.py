"""`seatbridge commerce replicate | portfolio` on a SQLite store and a generated company."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seatbridge.cli.commerce import app
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.db.migrate import upgrade
from seatbridge.directory.models import User
from tests.commerce.helpers import Company, make_company
from tests.commerce.sage import SageFile

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def company(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sage_files: dict[str, SageFile]
) -> Company:
    url = f"sqlite:///{tmp_path}/store.db"
    monkeypatch.setenv("SEATBRIDGE_DATABASE_URL", url)
    monkeypatch.setenv("SEATBRIDGE_DIRECT_SOURCES", str(Path(sage_files["A"].path).parent))
    engine = create_store_engine(url)
    upgrade(engine)
    company = make_company(session_factory(engine), {"A": sage_files["A"]}, name="Bijou SA")
    with company.sessions.begin() as session:
        environment = company.environments["A"]
        session.add(environment)
        environment.source_url = sage_files["A"].url
    return company


def test_replicate_then_show_a_portfolio(company: Company) -> None:
    slug = company.account.slug
    code, out, _ = run("replicate", f"{slug}/A", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["environment"] == "A"
    assert report["entities"]["customers"]["upserted"] == 40
    assert report["entities"]["document_headers"]["upserted"] == 300

    code, out, _ = run("replicate", f"{slug}/A", "--full", "--json")
    assert code == 0
    assert {e["upserted"] for e in json.loads(out)["entities"].values()} == {0}

    company.know_collaborators()
    rep = company.user(("A", 2))
    with company.sessions() as session:
        email = session.get(User, rep.user_id).email  # type: ignore[union-attr]
    code, out, _ = run("portfolio", slug, email, "--json", "--since", "2024-01-01")
    mine = company.files["A"].rows("SELECT trim(CT_Num) FROM F_COMPTET WHERE CO_No = 2")
    result = json.loads(out)
    assert code == 0 and result["reach"] == "own"
    assert {c["ct_num"] for c in result["customers"]} == {num for (num,) in mine}
    assert all(c["environment"] == "A" for c in result["customers"])

    code, out, _ = run("portfolio", slug, email, "--search", "zzz-nobody", "--json")
    assert code == 0 and json.loads(out)["total"] == 0
    code, out, _ = run("portfolio", slug, email)
    assert code == 0 and "Portefeuille" in out


def test_unknown_user_and_connector_environments_are_refused(company: Company) -> None:
    slug = company.account.slug
    code, _, err = run("portfolio", slug, "personne@nulle-part.fr")
    assert code == 4 and "personne@nulle-part.fr" in err
    with company.sessions.begin() as session:
        environment = company.environments["A"]
        session.add(environment)
        environment.mode = "connector"
    code, _, err = run("replicate", f"{slug}/A")
    assert code == 1 and "connector" in err


def test_replicate_stops_at_the_brake_and_confirm_goes_on(company: Company) -> None:
    slug = company.account.slug
    assert run("replicate", f"{slug}/A")[0] == 0
    company.files["A"].execute("DELETE FROM F_COMPTET")
    code, _, err = run("replicate", f"{slug}/A", "--full")
    assert code == 3
    assert "frein de sécurité" in err and "40 clients sur 40" in err and "Traceback" not in err
    code, out, _ = run("replicate", f"{slug}/A", "--full", "--json")
    error = json.loads(out)["error"]
    assert code == 3 and error["code"] == "commerce.replication_blocked"
    assert error["exit"] == "needs_confirmation" and error["details"]["missing"] == 40
    code, out, _ = run("replicate", f"{slug}/A", "--full", "--confirm", "--json")
    assert code == 0 and json.loads(out)["entities"]["customers"]["deleted"] == 40
