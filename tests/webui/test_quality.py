"""What an admin sees of bad Sage 100 rows: the run page's report (and the quality page)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from seatbridge.commerce.models import CommerceCustomer
from seatbridge.sync.models import SyncRun
from tests.support.dirty import dirty_company
from tests.support.sage_layouts import SageCompany
from tests.test_quality import dirty_shop
from tests.webui import seed
from tests.webui.conftest import Advanced, Site, text


def test_the_run_page_lists_the_rows_set_aside(
    site: Site, advanced: Advanced, tmp_path: Path
) -> None:
    dirty = dirty_company(tmp_path / "dirty.db")
    clock = site.web.clock
    environment_id = seed.connect(site.sessions, clock, advanced.account_id, "SALE",
                                  dirty.company.path)  # fmt: skip
    with site.sessions() as session:
        run_id = session.scalars(
            select(SyncRun.id).where(SyncRun.environment_id == environment_id)
        ).one()
    site.sign_in(advanced.admin)
    response, page = site.get(f"/admin/runs/{run_id}")
    assert response.status_code == 200
    shown = text(page)
    assert "Lignes Sage 100 mises de côté ou corrigées" in shown
    assert "3 ligne(s) mise(s) de côté, 3 valeur(s) corrigée(s)." in shown
    assert "CO_No est vide : la ligne ne peut pas être rattachée." in shown
    assert "valeur illisible dans cbCreation : hier" in shown
    assert "CO_Sommeil" in shown  # a missing optional column, read as empty
    # Markup from Sage is shown as text, never run.
    assert page.find("script", string="alert(1)") is None
    assert "<script>alert(1)</script>" in shown


def test_the_admin_confirms_a_replication_the_brake_stopped(
    site: Site, advanced: Advanced, tmp_path: Path
) -> None:
    sage = SageCompany(tmp_path / "small.db")
    sage.collaborator(1, "DUPONT", "Jean", "jean.dupont@bijou-sa.fr")
    for number in range(60):
        sage.customer(f"C{number:04}", f"Client {number}", 1)
    env = seed.connect(site.sessions, site.web.clock, advanced.account_id, "PETITE", sage.path)
    sage.execute('DELETE FROM "F_COMPTET"')
    site.sign_in(advanced.admin)
    site.post(f"/admin/environments/{env}/sync", {"full": "true"}, csrf_from="/admin/environments")
    site.wait_for_syncs()
    _, progress = site.get(f"/admin/environments/{env}/progress")
    shown = text(progress)
    assert "arrêtée par le frein de sécurité : 60 clients sur 60 (100 %)" in shown
    button = progress.find("button", string="J'ai vérifié Sage 100 : appliquer quand même")
    assert button is not None
    form = button.find_parent("form")
    fields = {i["name"]: i["value"] for i in form.find_all("input")}
    assert fields["confirm"] == "true" and fields["csrf_token"]
    site.post(f"/admin/environments/{env}/sync", {"full": "true", "confirm": "true"},
              csrf_from="/admin/environments")  # fmt: skip
    site.wait_for_syncs()
    with site.sessions() as session:
        left = session.scalars(
            select(CommerceCustomer).where(CommerceCustomer.environment_id == env)
        ).all()
    assert left == []


def test_the_quality_page_and_its_csv(site: Site, advanced: Advanced, tmp_path: Path) -> None:
    sage = dirty_shop(tmp_path / "shop.db")
    env = seed.connect(site.sessions, site.web.clock, advanced.account_id, "BOUTIQUES", sage.path)
    site.sign_in(advanced.admin)
    _, environment = site.get(f"/admin/environments/{env}")
    link = environment.find("a", string="Qualité des données Sage 100")
    assert link is not None and link["href"] == f"/admin/environments/{env}/quality"
    response, page = site.get(link["href"])
    assert response.status_code == 200
    shown = text(page)
    assert "11 points à corriger dans Sage 100." in shown
    assert "Collaborateurs non invitables (5)" in shown
    assert "adresse boutique@bijou-sa.fr partagée avec n° 6 BOUTIQUE Arras" in shown
    assert "pas d'adresse e-mail" in shown and "Clients sans représentant (3)" in shown
    exported = site.web.client.get(f"/admin/environments/{env}/quality.csv")
    assert exported.status_code == 200
    assert "'=HYPERLINK" in exported.text and exported.text.startswith("\ufeff")
    # Another account's admin gets nothing.
    other_id, other = seed.new_account(site.sessions, site.web.settings, site.web.clock,
                                       name="Autre", admin_email="x@autre.fr")  # fmt: skip
    seed.activate(site.sessions, site.web.clock, other_id, seed.code_for(site.web.clock))
    site.sign_in(other)
    assert site.get(f"/admin/environments/{env}/quality")[0].status_code == 404
    assert site.web.client.get(f"/admin/environments/{env}/quality.csv").status_code == 404
