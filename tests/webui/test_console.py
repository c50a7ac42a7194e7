"""The advanced Admin console: workspace, environments (sync now, preview, caps), users with
filters and bulk actions, the review queue, sync runs, the audit log and its CSV export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import select

from seatbridge.directory.models import CollaboratorLink, User, UserStatus
from seatbridge.directory.service import NewUser
from seatbridge.jobs import schedule
from seatbridge.mail.models import OutboxMessage
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.models import ReviewCase
from seatbridge.sync.runner import run_sync
from seatbridge.sync.source import Sage100Source
from tests.support.people import create_user
from tests.webui import seed
from tests.webui.conftest import Advanced, Site, text


def parsed(response: object) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")  # type: ignore[attr-defined]


class TestAccess:
    def test_rep_and_anonymous(self, site: Site, advanced: Advanced) -> None:
        site.sign_in(advanced.rep)
        for path in ("/admin", "/admin/users", "/admin/audit.csv", "/activation/done"):
            assert site.get(path)[0].status_code == 403, path
        site.web.client.cookies.clear()
        assert site.get("/admin/runs")[0].headers["location"] == "/auth/sign-in?next=/admin/runs"

    def test_another_account_sees_nothing(self, site: Site, advanced: Advanced) -> None:
        clock = site.web.clock
        other_id, other = seed.new_account(
            site.sessions, site.web.settings, clock, name="Autre", admin_email="x@autre.fr"
        )
        seed.activate(site.sessions, clock, other_id, seed.code_for(clock))
        site.sign_in(other)
        env = advanced.environment_id
        assert site.get(f"/admin/environments/{env}")[0].status_code == 404
        with site.sessions() as session:
            from sqlalchemy import select

            from seatbridge.sync.models import SyncRun

            run_id = session.scalars(select(SyncRun.id)).first()
        assert site.get(f"/admin/runs/{run_id}")[0].status_code == 404
        assert (
            site.post(f"/admin/environments/{env}/sync", {}, csrf_from="/admin").status_code == 404
        )
        user = advanced.invited[0].id
        assert (
            site.post(f"/admin/users/{user}/deactivate", {}, csrf_from="/admin").status_code == 404
        )
        _, audit = site.get("/admin/audit")
        assert advanced.rep.email not in text(audit)


class TestPages:
    def test_workspace(self, site: Site, advanced: Advanced) -> None:
        site.sign_in(advanced.admin)
        assert site.get("/")[0].headers["location"] == "/admin"
        response, page = site.get("/admin")
        assert response.status_code == 200
        facts = text(page)
        assert "Avancée" in facts and "Valide" in facts and "4 licences utilisées sur 10" in facts
        chart = page.select_one("svg.seat-chart")
        assert chart is not None and chart.find("title").get_text()
        assert [row.get_text(" ", strip=True) for row in page.select("table.compact tbody tr")][
            -1
        ] == "Total 4 10"

    def test_environments_sync_preview_and_cap(self, site: Site, advanced: Advanced) -> None:
        site.sign_in(advanced.admin)
        env = advanced.environment_id
        _, page = site.get("/admin/environments")
        assert page.find("button", string="Synchroniser maintenant") is not None
        response = site.post(
            f"/admin/environments/{env}/cap", {"seat_cap": "abc"}, csrf_from="/admin/environments"
        )
        assert response.status_code == 400
        response = site.post(
            f"/admin/environments/{env}/cap", {"seat_cap": "2"}, csrf_from="/admin/environments"
        )
        assert response.headers["location"] == "/admin/environments?done=cap"
        response = site.post(
            f"/admin/environments/{env}/preview", {}, csrf_from="/admin/environments"
        )
        run_path = response.headers["location"]
        _, run = site.get(run_path)
        assert "aperçu : rien n'a été modifié" in text(run)
        response = site.post(f"/admin/environments/{env}/sync", {}, csrf_from="/admin/environments")
        assert response.headers["location"] == f"/admin/environments/{env}"
        site.wait_for_syncs()
        _, progress = site.get(f"/admin/environments/{env}/progress")
        assert progress.find(id="environment-sync").get("hx-get") is None
        assert "Réussie" in text(progress)

    def test_the_environment_shows_how_fresh_it_is_and_edits_its_cadences(
        self, site: Site, advanced: Advanced
    ) -> None:
        site.sign_in(advanced.admin)
        env = advanced.environment_id
        _, before = site.get(f"/admin/environments/{env}")
        assert "pas encore vérifiée" in text(before.find(id="in-step"))
        response = site.post(f"/admin/environments/{env}/sync", {}, csrf_from="/admin/environments")
        site.wait_for_syncs()
        site.web.clock.advance(dt.timedelta(seconds=7))
        _, after = site.get(f"/admin/environments/{env}")
        assert text(after.find(id="in-step")) == "à jour il y a 7 s"
        response = site.post(
            f"/admin/environments/{env}/cadences",
            {
                "probe_seconds": "10",
                "sync_interval_minutes": "30",
                "full_sync_interval_hours": "12",
            },
            csrf_from=f"/admin/environments/{env}",
        )
        assert response.headers["location"] == f"/admin/environments/{env}"
        _, page = site.get(f"/admin/environments/{env}")
        values = {i["name"]: i["value"] for i in page.select("form.cadences input[type=number]")}
        assert values == {
            "probe_seconds": "10", "sync_interval_minutes": "30", "full_sync_interval_hours": "12"
        }  # fmt: skip

    def test_sync_now_is_refused_while_another_process_holds_it(
        self, site: Site, advanced: Advanced
    ) -> None:
        site.sign_in(advanced.admin)
        env = advanced.environment_id
        assert schedule.claim(site.sessions, environment_id=env, owner="w7:4242:worker",
                              now=site.web.clock.now(), lease=dt.timedelta(seconds=30))  # fmt: skip
        response = site.post(f"/admin/environments/{env}/sync", {}, csrf_from="/admin/environments")
        assert response.status_code == 409
        assert "est en cours depuis" in text(parsed(response))
        assert "par le processus w7:4242:worker" in text(parsed(response))

    def test_users_filters_and_bulk(self, site: Site, advanced: Advanced) -> None:
        site.sign_in(advanced.admin)
        _, page = site.get("/admin/users?status=invited")
        assert len(page.select("table.users tbody tr")) == 2
        ids = [str(user.id) for user in advanced.invited]
        response = site.post(
            "/admin/users/bulk", {"action": "deactivate", "user_id": ids}, csrf_from="/admin/users"
        )
        assert response.headers["location"] == "/admin/users?done=deactivated&n=2"
        response = site.post(
            "/admin/users/bulk", {"action": "activate", "user_id": ids}, csrf_from="/admin/users"
        )
        assert response.headers["location"] == "/admin/users?done=activated&n=2"
        response = site.post(
            "/admin/users/bulk", {"action": "password", "user_id": [*ids, str(advanced.rep.id)]},
            csrf_from="/admin/users",
        )  # fmt: skip
        assert response.headers["location"] == "/admin/users?done=password_links&n=3"
        response = site.post("/admin/users/bulk", {"action": "activate"}, csrf_from="/admin/users")
        assert response.status_code == 400
        _, found = site.get("/admin/users?q=" + advanced.rep.email.split("@")[0])
        assert len(found.select("table.users tbody tr")) == 1

    def test_review_queue(self, site: Site, advanced: Advanced) -> None:
        with site.sessions.begin() as session:
            creation = create_user(
                session, account_id=advanced.account_id,
                person=NewUser(email="someone@gmail.com", first_name="Some", last_name="One"),
                actor="t", clock=site.web.clock,
            )  # fmt: skip
        assert creation.case is not None
        site.sign_in(advanced.admin)
        _, page = site.get("/admin/reviews")
        case = page.find("h2", id=f"case-{creation.case.id}").find_parent("article")
        assert case.find("button", string="Utilisateur SSM uniquement")
        response = site.post(
            f"/admin/reviews/{creation.case.id}/ssm-only", {}, csrf_from="/admin/reviews"
        )
        assert response.headers["location"] == "/admin/reviews?done=resolved"
        response = site.post(
            f"/admin/reviews/{creation.case.id}/ssm-only", {}, csrf_from="/admin/reviews"
        )
        assert (
            response.status_code == 400
            and "déjà réglée" in parsed(response).find(id="form-error").get_text()
        )
        assert (
            site.post("/admin/reviews/99999/dismiss", {}, csrf_from="/admin/reviews").status_code
            == 404
        )

    def test_runs_and_audit(self, site: Site, advanced: Advanced) -> None:
        site.sign_in(advanced.admin)
        _, runs = site.get("/admin/runs")
        link = runs.select_one("table.data tbody a")
        _, run = site.get(str(link["href"]))
        assert "Nouveau collaborateur" in text(run)
        assert "nouveau dans Sage 100" in text(run) and "new in Sage 100" not in text(run)
        first = run.select_one("table.data tbody tr td:nth-of-type(2)")
        assert first is not None and "n° " in text(first)  # a name, then its CO_No
        assert site.get("/admin/runs/999999")[0].status_code == 404
        _, audit = site.get("/admin/audit?action=user.create")
        body = text(audit.select_one("tbody"))
        assert "a créé l'utilisateur" in body and "license.apply" not in body
        assert "user.create" not in body and "user " not in body  # sentences and names, not codes
        _, audit = site.get("/admin/audit?action=license")
        assert "a appliqué un code d'activation." in text(audit.select_one("tbody"))
        site.web.client.cookies.set("lang", "en")
        _, audit = site.get("/admin/audit")
        _, english_run = site.get(str(link["href"]))
        assert "applied an activation code." in text(audit.select_one("tbody"))
        assert "new in Sage 100" in text(english_run) and "nouveau dans" not in text(english_run)
        site.web.client.cookies.delete("lang")
        response = site.web.client.get("/admin/audit.csv?action=license")
        assert response.status_code == 200 and response.headers["content-type"].startswith(
            "text/csv"
        )
        lines = response.text.lstrip("\ufeff").splitlines()
        assert lines[0].startswith("occurred_at,actor,action") and "license.apply" in lines[1]
        assert site.get("/admin/audit?since=not-a-date")[0].status_code == 200


class TestApiKeys:
    def test_create_shown_once_then_revoke(self, site: Site, advanced: Advanced) -> None:
        site.sign_in(advanced.admin)
        response = site.post(
            "/admin/api-keys", {"name": "", "scope": "read"}, csrf_from="/admin/api-keys"
        )
        assert response.status_code == 400
        response = site.post(
            "/admin/api-keys", {"name": "ERP", "scope": "read"}, csrf_from="/admin/api-keys"
        )
        token = parsed(response).find("input", id="new-token")["value"]
        assert str(token).startswith("sbk_")
        _, page = site.get("/admin/api-keys")
        assert page.find("input", id="new-token") is None and str(token) not in page.text
        public_id = page.select_one("tbody code").get_text()
        assert "API REST en lecture" in page.select_one("tbody").get_text()  # not "read"
        response = site.post(f"/admin/api-keys/{public_id}/revoke", {}, csrf_from="/admin/api-keys")
        assert response.headers["location"] == "/admin/api-keys?done=key_revoked"
        assert "Révoquée" in text(site.get("/admin/api-keys")[1])
        assert (
            site.post("/admin/api-keys/nope/revoke", {}, csrf_from="/admin/api-keys").status_code
            == 404
        )


class TestSharedAddressCase:
    """Issue 19: a shared-e-mail case shows each candidate's score and why, and is settled by
    "Lier" in one click (the chosen collaborator is invited; the next sync does not reopen it),
    or kept open by "Attendre"."""

    def _case(self, site: Site, advanced: Advanced) -> ReviewCase:
        with site.sessions() as session:
            return session.scalars(
                select(ReviewCase).where(
                    ReviewCase.account_id == advanced.account_id,
                    ReviewCase.kind == "shared_email",
                    ReviewCase.status == "open",
                )
            ).one()

    def test_lier_invites_the_chosen_collaborator_and_the_case_stays_settled(
        self, site: Site, advanced: Advanced, companies: tuple[Path, Path]
    ) -> None:
        import sqlite3

        case = self._case(site, advanced)
        with sqlite3.connect(companies[0]) as sage:
            sharing = sage.execute(
                "SELECT CO_No, CO_Prenom, CO_Nom FROM F_COLLABORATEUR WHERE lower(CO_EMail) = ?",
                (case.email_normalized,),
            ).fetchall()
        assert len(sharing) == 2
        site.sign_in(advanced.admin)
        _, page = site.get("/admin/reviews")
        article = page.find("h2", id=f"case-{case.id}").find_parent("article")
        rows = article.select("table.candidates tbody tr")
        assert len(rows) == 2
        for row in rows:
            assert "100 %" in text(row) and "exactement la même adresse e-mail" in text(row)
            assert row.find("button", string=lambda s: bool(s and s.startswith("Lier à ")))
        assert article.find("button", string="Attendre (je corrige Sage 100)")
        co_no, first, last = sharing[0]
        response = site.post(
            f"/admin/reviews/{case.id}/link",
            {"environment_id": str(advanced.environment_id), "co_no": str(co_no)},
            csrf_from="/admin/reviews",
        )
        assert response.headers["location"] == "/admin/reviews?done=resolved"
        with site.sessions() as session:
            settled = session.get_one(ReviewCase, case.id)
            assert (settled.status, settled.resolution) == ("resolved", "linked")
            user = session.get_one(User, settled.user_id)
            assert user.status == UserStatus.INVITED.value
            assert user.email_normalized == case.email_normalized
            assert (user.first_name, user.last_name) == (first, last)
            link = session.scalars(
                select(CollaboratorLink).where(CollaboratorLink.user_id == user.id)
            ).one()
            assert link.co_no == co_no
            assert case.email_normalized in {
                m.recipient.lower() for m in session.scalars(select(OutboxMessage))
            }
        # A full sync sees the address still shared, and follows the admin's link.
        with Sage100Reader(str(companies[0])) as reader:
            run_sync(
                site.sessions, account_id=advanced.account_id,
                environment_id=advanced.environment_id, source=Sage100Source(reader),
                actor="test", clock=site.web.clock, full=True,
            )  # fmt: skip
        with site.sessions() as session:
            reopened = session.scalars(
                select(ReviewCase).where(
                    ReviewCase.account_id == advanced.account_id,
                    ReviewCase.kind == "shared_email",
                    ReviewCase.status == "open",
                )
            ).all()
            assert reopened == []

    def test_attendre_keeps_the_case_open_and_says_since_when(
        self, site: Site, advanced: Advanced
    ) -> None:
        case = self._case(site, advanced)
        site.sign_in(advanced.admin)
        response = site.post(f"/admin/reviews/{case.id}/wait", {}, csrf_from="/admin/reviews")
        assert response.headers["location"] == "/admin/reviews?done=waiting"
        _, page = site.get("/admin/reviews?done=waiting")
        article = page.find("h2", id=f"case-{case.id}").find_parent("article")
        assert "En attente d'une correction dans Sage 100 depuis le" in text(article)
        assert advanced.admin.email in text(article)
        assert article.find("button", string="Attendre (je corrige Sage 100)") is None
        with site.sessions() as session:
            assert session.get_one(ReviewCase, case.id).status == "open"


class TestLicenceChange:
    """Issue 19: a code that downgrades is shown with what it will do before it is applied;
    any applied code is recapped."""

    def test_a_starter_code_on_two_companies_asks_first(
        self, site: Site, advanced: Advanced, companies: tuple[Path, Path]
    ) -> None:
        from seatbridge.accounts.models import Account

        clock = site.web.clock
        seed.connect(site.sessions, clock, advanced.account_id, "BIJOU-NORD", companies[1])
        site.sign_in(advanced.admin)
        with site.sessions() as session:
            used = session.get_one(Account, advanced.account_id).seats_used
        code = seed.code_for(clock, edition="starter", seats=used - 1)
        response = site.post("/admin/licences", {"code": code}, csrf_from="/admin/licences")
        assert response.status_code == 200
        page = parsed(response)
        assert page.find("h1").get_text() == "Confirmer le nouveau code"
        shown = text(page)
        assert "Le compte passe en édition Starter" in shown
        assert "BIJOU-NORD dépasse ce que ce code autorise (1 société)" in shown
        assert f"{used} licences sont utilisées pour {used - 1} prévues" in shown
        assert page.find("input", attrs={"name": "confirm"})["value"] == "yes"
        with site.sessions() as session:
            account = session.get_one(Account, advanced.account_id)
            assert (account.edition, account.seats) == ("advanced", 10)  # nothing applied yet
        response = site.post(
            "/admin/licences", {"code": code, "confirm": "yes"}, csrf_from="/admin/licences"
        )
        assert response.headers["location"] == "/administration?done=code"
        shown = text(site.get("/administration?done=code")[1])
        assert "Nouveau code d'activation appliqué." in shown
        assert "Édition : Starter" in shown
        assert f"{used - 1} licences (utilisées : {used})" in shown
        assert "1 société autorisée" in shown
        with site.sessions() as session:
            account = session.get_one(Account, advanced.account_id)
            assert (account.edition, account.seats) == ("starter", used - 1)

    def test_more_licences_apply_at_once_with_a_recap(self, site: Site, advanced: Advanced) -> None:
        site.sign_in(advanced.admin)
        code = seed.code_for(site.web.clock, seats=25, environments=5)
        response = site.post("/admin/licences", {"code": code}, csrf_from="/admin/licences")
        assert response.headers["location"] == "/admin/licences?done=code"
        shown = text(site.get("/admin/licences?done=code")[1])
        assert "Édition : Avancée" in shown and "25 licences (utilisées :" in shown
        assert "5 sociétés autorisées" in shown and "Valable jusqu'au" in shown


def test_the_audit_date_filter_and_its_csv(site: Site, advanced: Advanced) -> None:
    """Issue 19: a date filter answered 500 (a naive instant against a UTC column) and the CSV
    with a date filter came back empty."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from sqlalchemy import func

    from seatbridge.audit.models import AuditEvent

    site.sign_in(advanced.admin)
    with site.sessions() as session:
        newest = session.scalar(
            select(func.max(AuditEvent.occurred_at)).where(
                AuditEvent.account_id == advanced.account_id
            )
        )
    assert newest is not None
    aware = newest if newest.tzinfo else newest.replace(tzinfo=dt.UTC)
    today = aware.astimezone(ZoneInfo(site.web.settings.timezone)).date().isoformat()
    response, page = site.get(f"/admin/audit?since={today}&until={today}")
    assert response.status_code == 200
    shown = len(page.select("table.audit tbody tr time"))
    assert shown > 0
    export = site.web.client.get(f"/admin/audit.csv?since={today}&until={today}")
    assert export.status_code == 200
    assert len(export.text.strip().splitlines()) - 1 >= shown
    response, page = site.get("/admin/audit?since=2000-01-01&until=2000-01-02")
    assert response.status_code == 200 and not page.select("table.audit tbody tr time")
