"""The activation wizard (rule 13): code, companies, first sync, choice, send."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import select

from seatbridge.directory.models import Role, User, UserStatus
from seatbridge.mail.models import OutboxMessage
from tests.support.factories import TEST_SOURCES
from tests.webui import seed
from tests.webui.conftest import Site, text


def admin_of_new_account(site: Site) -> User:
    _, admin = seed.new_account(site.sessions, site.web.settings, site.web.clock)
    site.sign_in(admin)
    return admin


class TestAccess:
    def test_anonymous_goes_to_sign_in(self, site: Site) -> None:
        response, _ = site.get("/activation/code")
        assert response.headers["location"] == "/auth/sign-in?next=/activation/code"

    def test_a_sales_rep_is_refused(self, site: Site) -> None:
        admin = admin_of_new_account(site)
        seed.activate(
            site.sessions, site.web.clock, admin.account_id, seed.code_for(site.web.clock)
        )
        with site.sessions.begin() as session:
            from seatbridge.directory import service as directory

            (rep,) = directory.invite_users(
                session, account_id=admin.account_id,
                people=[directory.NewUser(email="rep@bijou-sa.fr")], actor="t",
                clock=site.web.clock,
            )  # fmt: skip
        rep = seed.activate_user(
            site.sessions, site.web.settings, site.web.clock, rep, Role.SALESREP
        )
        site.sign_in(rep)
        response, page = site.get("/activation/code")
        assert response.status_code == 403
        assert page.find("h1").get_text() == "Accès réservé aux administrateurs"

    def test_home_sends_the_admin_to_the_wizard_then_to_the_first_unfinished_step(
        self, site: Site
    ) -> None:
        admin_of_new_account(site)
        assert site.get("/")[0].headers["location"] == "/activation"
        assert site.get("/activation")[0].headers["location"] == "/activation/code"
        # Steps cannot be skipped.
        assert site.get("/activation/invite")[0].headers["location"] == "/activation/code"


class TestCode:
    def test_precise_errors(self, site: Site) -> None:
        admin_of_new_account(site)
        response = site.post(
            "/activation/code", {"code": "SB1-ABCDE"}, csrf_from="/activation/code"
        )
        assert response.status_code == 400
        page = BeautifulSoup(response.text, "html.parser")
        assert "Le code d'activation est incomplet" in page.find(id="form-error").get_text()
        assert page.find("textarea", attrs={"name": "code"}).get_text() == "SB1-ABCDE"
        response = site.post("/activation/code", {"code": "key/abc"}, csrf_from="/activation/code")
        assert "commence par « SB1- »" in response.text

    def test_a_valid_code_leads_to_the_companies(self, site: Site) -> None:
        admin_of_new_account(site)
        code = seed.code_for(site.web.clock)
        response = site.post("/activation/code", {"code": code}, csrf_from="/activation/code")
        assert response.headers["location"] == "/activation/companies"


class TestWholeWizard:
    def test_code_to_invitations(self, site: Site, companies: tuple[Path, Path]) -> None:
        admin = admin_of_new_account(site)
        site.post(
            "/activation/code",
            {"code": seed.code_for(site.web.clock)},
            csrf_from="/activation/code",
        )
        first, second = companies
        # A wrong address: the precise error, nothing connected.
        response = site.post(
            "/activation/companies", {"name": "X", "url": str(first.parent / "none.db")},
            csrf_from="/activation/companies",
        )  # fmt: skip
        assert response.status_code == 400 and "Impossible de se connecter" in response.text
        response = site.post(
            "/activation/companies/test", {"name": "BIJOU", "url": str(first)},
            csrf_from="/activation/companies",
        )  # fmt: skip
        assert response.status_code == 200 and "Connexion réussie." in response.text
        for name, path in (("BIJOU", first), ("BIJOU-NORD", second)):
            response = site.post(
                "/activation/companies", {"name": name, "url": str(path)},
                csrf_from="/activation/companies",
            )  # fmt: skip
            assert response.headers["location"] == "/activation/companies?done=added"
        response = site.post("/activation/sync", {}, csrf_from="/activation/companies")
        assert response.headers["location"] == "/activation/sync"
        site.wait_for_syncs()
        _, page = site.get("/activation/sync/progress")
        assert "Synchronisation terminée" in text(page)
        assert page.find(id="sync-status").get("hx-get") is None  # polling stops

        response, page = site.get("/activation/invite")
        assert response.status_code == 200
        boxes = page.select("input[name=pick]")
        checked = [box["value"] for box in boxes if box.has_attr("checked")]
        assert 0 < len(checked) <= 9  # the admin holds the 10th licence
        counter = page.select_one("[data-seat-counter]")
        assert counter["data-total"] == "10" and counter["data-used"] == "1"

        # Over-selection is refused by the server with the seat message.
        every = [str(box["value"]) for box in boxes]
        response = site.post(
            "/activation/invite", {"pick": every[:10]}, csrf_from="/activation/invite"
        )
        assert response.status_code == 400
        refusal = BeautifulSoup(response.text, "html.parser").find(id="form-error").get_text()
        assert "Impossible d'attribuer 10 licence(s) : 9 licence(s) libre(s) sur 10" in refusal

        chosen = [value for value in every if value.startswith(every[0].split(":")[0] + ":")][:6]
        response = site.post("/activation/invite", {"pick": chosen}, csrf_from="/activation/invite")
        assert response.status_code == 200
        assert "Licences après l'envoi : 7 / 10" in text(
            BeautifulSoup(response.text, "html.parser")
        )
        response = site.post("/activation/send", {"pick": chosen}, csrf_from="/activation/invite")
        assert response.headers["location"] == "/activation/done?n=6"
        _, page = site.get("/activation/done?n=6")
        assert "6 invitations envoyées." in text(page)
        assert "7 licences utilisées sur 10" in text(page)
        with site.sessions() as session:
            invited = session.scalars(
                select(User).where(
                    User.account_id == admin.account_id, User.status == UserStatus.INVITED.value
                )
            ).all()
            assert len(invited) == 6
            mails = session.scalars(select(OutboxMessage.recipient)).all()
            assert {user.email for user in invited} <= set(mails)
        # Over: home goes to the admin console, the wizard is closed.
        assert site.get("/")[0].headers["location"] == "/admin"
        assert site.get("/activation/invite")[0].headers["location"] == "/"

    def test_finish_without_inviting(self, site: Site, companies: tuple[Path, Path]) -> None:
        admin = admin_of_new_account(site)
        seed.activate(
            site.sessions, site.web.clock, admin.account_id, seed.code_for(site.web.clock)
        )
        seed.connect(site.sessions, site.web.clock, admin.account_id, "BIJOU", companies[0])
        response = site.post("/activation/finish", {}, csrf_from="/activation/invite")
        assert response.headers["location"] == "/"
        assert site.get("/")[0].headers["location"] == "/admin"


class TestFirstSyncTellsTheTruth:
    """Issue 19: the scheduler must not sync a company the wizard just connected (the admin's
    click then read one changed row and the page said "1 collaborateur lu" for 20)."""

    def test_the_scheduler_waits_for_the_wizard_and_step_3_shows_that_run(
        self, site: Site, companies: tuple[Path, Path]
    ) -> None:
        import sqlite3

        from seatbridge.accounts.models import Environment
        from seatbridge.jobs import schedule
        from seatbridge.sync.models import SyncRun

        admin = admin_of_new_account(site)
        seed.activate(
            site.sessions, site.web.clock, admin.account_id, seed.code_for(site.web.clock)
        )
        response = site.post(
            "/activation/companies", {"name": "BIJOU", "url": str(companies[0])},
            csrf_from="/activation/companies",
        )  # fmt: skip
        assert response.status_code == 303
        with site.sessions() as session:
            (environment,) = session.scalars(
                select(Environment).where(Environment.account_id == admin.account_id)
            ).all()
            assert environment.awaiting_first_sync
            # However long the admin pauses, nothing syncs it behind their back.
            later = site.web.clock.now().replace(year=site.web.clock.now().year + 1)
            assert environment.id not in schedule.due_environments(session, now=later)
        site.post("/activation/sync", {}, csrf_from="/activation/sync")
        site.wait_for_syncs()
        with site.sessions() as session:
            runs = session.scalars(
                select(SyncRun).where(SyncRun.environment_id == environment.id)
            ).all()
            assert [run.actor for run in runs] == [admin.email]  # the wizard's run, alone
            assert not session.get_one(Environment, environment.id).awaiting_first_sync
        # What Sage 100 holds, read with plain SQL, is what step 3 says.
        with sqlite3.connect(companies[0]) as sage:
            people = sage.execute("SELECT COUNT(*) FROM F_COLLABORATEUR").fetchone()[0]
            sales = sage.execute(
                "SELECT COUNT(*) FROM F_COLLABORATEUR WHERE CO_Vendeur = 1"
            ).fetchone()[0]
            customers = sage.execute("SELECT COUNT(*) FROM F_COMPTET WHERE CT_Type = 0").fetchone()[
                0
            ]
            documents = sage.execute(
                "SELECT COUNT(*) FROM F_DOCENTETE WHERE DO_Domaine = 0"
            ).fetchone()[0]
        _, page = site.get("/activation/sync")
        shown = text(page)
        assert f"{people} collaborateurs lus" in shown
        assert f"{people} collaborateurs dans Sage 100, dont {sales} commerciaux" in shown
        assert f"{customers} clients copiés · {documents} documents de vente copiés" in shown

    def test_a_company_connected_outside_the_wizard_is_due_at_once(
        self, site: Site, companies: tuple[Path, Path]
    ) -> None:
        from seatbridge.accounts import service as accounts
        from seatbridge.jobs import schedule

        admin = admin_of_new_account(site)
        seed.activate(
            site.sessions, site.web.clock, admin.account_id, seed.code_for(site.web.clock)
        )
        with site.sessions.begin() as session:
            environment = accounts.add_environment(
                session, account_id=admin.account_id, name="CLI", actor="t",
                source_url=str(companies[0]), sources=TEST_SOURCES,
            )  # fmt: skip
            session.flush()
            assert environment.id in schedule.due_environments(session, now=site.web.clock.now())


class TestDirectSources:
    def test_tester_la_connexion_outside_the_allow_list_opens_nothing(self, site: Site) -> None:
        admin_of_new_account(site)
        site.post(
            "/activation/code",
            {"code": seed.code_for(site.web.clock)},
            csrf_from="/activation/code",
        )
        texts = set()
        for url in ("/etc/passwd", "/nowhere/x.db", "postgresql://postgres@127.0.0.1:1/postgres"):
            for path in ("/activation/companies/test", "/activation/companies"):
                response = site.post(
                    path, {"name": "X", "url": url}, csrf_from="/activation/companies"
                )
                assert response.status_code == 400
                alert = BeautifulSoup(response.text, "html.parser").select_one(".alert")
                assert alert is not None and "n'est pas autorisé à lire" in alert.text
                texts.add(alert.text.strip())
        assert len(texts) == 1 and "passwd" not in texts.pop()


def test_company_step_errors_are_french_and_name_the_field(
    site: Site, companies: tuple[Path, Path]
) -> None:
    """Issue 19: company-step errors mixed languages and passed the driver's English through."""
    admin = admin_of_new_account(site)
    seed.activate(site.sessions, site.web.clock, admin.account_id, seed.code_for(site.web.clock))
    response = site.post(
        "/activation/companies/test", {"name": "X", "url": "  "}, csrf_from="/activation/companies"
    )
    assert response.status_code == 400
    shown = text(BeautifulSoup(response.text, "html.parser"))
    assert "Indiquez l'adresse de la base Sage 100 (champ « Adresse de la base Sage 100 »)" in shown
    missing = str(companies[0].parent / "absente.db")
    response = site.post(
        "/activation/companies/test", {"name": "X", "url": missing},
        csrf_from="/activation/companies",
    )  # fmt: skip
    shown = text(BeautifulSoup(response.text, "html.parser"))
    assert "fichier introuvable ou illisible" in shown
    assert "unable to open" not in shown
