"""Admin > Journal d'audit > CSV: values from Sage 100 and from the API cannot run as formulas."""

from __future__ import annotations

import csv
import io

from seatbridge import audit
from tests.webui.conftest import Advanced, Site


def test_the_audit_export_neutralises_formulas(site: Site, advanced: Advanced) -> None:
    hostile = {
        # An admin's e-mail as Sage 100 held it (CO_EMail), and an identity provider's name.
        "-2+3@bijou-sa.fr": "user.update",
        '=HYPERLINK("http://evil.example","ok")': "user.create",
        "@SUM(1+1)": "user.disable",
    }
    with site.sessions.begin() as session:
        for actor, action in hostile.items():
            audit.record(
                session,
                account_id=advanced.account_id,
                actor=actor,
                action=action,
                subject_type="user",
                subject_id="\t=cmd",
            )
    site.sign_in(advanced.admin)
    response = site.web.client.get("/admin/audit.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text.removeprefix("\ufeff"))))
    actors = {row["actor"] for row in rows}
    for actor in hostile:
        assert "'" + actor in actors and actor not in actors
    assert {row["subject_id"] for row in rows if row["actor"] in {"'" + a for a in hostile}} == {
        "'\t=cmd"
    }
