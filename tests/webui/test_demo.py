"""`seatbridge demo`'s preparation: companies, vendor key, code, account and admin; reused when
run again, made anew with --fresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from seatbridge.cli import demo
from seatbridge.licensing import KeyRing, read_code
from seatbridge.web import create_app
from tests.invitations.support import FAST_AUTH


@pytest.fixture(autouse=True)
def small_companies(monkeypatch: pytest.MonkeyPatch) -> None:
    from seatbridge.sage100 import demo as sage_demo

    real = sage_demo.make_demo_company
    small = {"collaborators": 15, "customers": 10, "documents": 20}
    monkeypatch.setattr(
        sage_demo, "make_demo_company", lambda url, **options: real(url, **options | small)
    )


def test_prepare_then_reuse_then_fresh(tmp_path: Path) -> None:
    first = demo.prepare(tmp_path, fresh=False, base_url="http://127.0.0.1:8000")
    assert first.companies == ("BIJOU", "BIJOU-NORD")
    key_file = tmp_path / demo.KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    terms = read_code(first.code, KeyRing.from_settings(first.settings))
    assert (terms.edition.value, terms.seats) == ("advanced", demo.SEATS)
    assert first.admin_email.endswith("@bijou-sa.fr")

    again = demo.prepare(tmp_path, fresh=False, base_url="http://127.0.0.1:8000")
    assert (again.code, again.admin_email) == (first.code, first.admin_email)
    assert key_file.read_text() == (tmp_path / demo.KEY_FILE).read_text()

    settings = again.settings.model_copy(
        update={"auth": again.settings.auth.model_copy(update=FAST_AUTH)}
    )
    with TestClient(create_app(settings)) as client:
        page = client.get("/auth/sign-in")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        response = client.post(
            "/auth/sign-in",
            data={"csrf_token": token, "email": again.admin_email, "password": demo.ADMIN_PASSWORD},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert client.get("/", follow_redirects=False).headers["location"] == "/activation"

    fresh = demo.prepare(tmp_path, fresh=True, base_url="http://127.0.0.1:8000")
    assert fresh.code != first.code
