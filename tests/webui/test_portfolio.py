"""The portfolio pages (rule 15): what a rep, a manager and an admin see, search, filters,
paging, the monthly chart's figures, and who may not look."""

from __future__ import annotations

import datetime as dt
import sqlite3
import unicodedata
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from seatbridge.accounts import service as accounts
from seatbridge.commerce.queries import Paging, history, monthly_sales, portfolio
from seatbridge.commerce.scope import Viewer
from seatbridge.directory.models import Role, User
from seatbridge.web.admin.formatting import Formatter
from seatbridge.web.admin.sync_jobs import sync_jobs
from seatbridge.web.portal.filters import PAGE_SIZE, months_ending
from tests.support.factories import TEST_SOURCES
from tests.webui import seed
from tests.webui.conftest import Site, text

Document = tuple[int, str]  # (DO_Type, DO_Piece)
ALL = Paging(1, 200)


class Sage:
    """The company file read with plain SQL: what each collaborator should see (rule 15)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(self.path)) as connection:
            return connection.execute(sql, params).fetchall()

    def customers(self, co_no: int | None = None) -> set[str]:
        rows = self.rows("SELECT trim(CT_Num), CO_No FROM F_COMPTET WHERE CT_Type = 0")
        return {num for num, rep in rows if co_no is None or rep == co_no}

    def documents(self) -> list[tuple[int, str, str, int, str]]:
        """(type, piece, customer, representative, date) of the sales documents."""
        return self.rows(  # type: ignore[return-value]
            "SELECT DO_Type, trim(DO_Piece), trim(DO_Tiers), CO_No, DO_Date FROM F_DOCENTETE "
            "WHERE DO_Domaine = 0"
        )

    def owned(self, co_no: int) -> dict[Document, bool]:
        """The documents of `co_no`, each with whether it came through its customer's rep."""
        reps = dict(self.rows("SELECT trim(CT_Num), CO_No FROM F_COMPTET WHERE CT_Type = 0"))
        known = {co for (co,) in self.rows("SELECT CO_No FROM F_COLLABORATEUR")}
        found = {}
        for kind, piece, tiers, rep, _date in self.documents():
            fallback = not (rep and rep in known)
            if (reps.get(tiers) if fallback else rep) == co_no:
                found[(kind, piece)] = fallback
        return found

    def latest_sale(self, co_no: int) -> dt.date:
        """The date of the latest invoice or credit note of `co_no`."""
        owned = self.owned(co_no)
        return max(
            dt.datetime.fromisoformat(date).date()
            for kind, piece, _, _, date in self.documents()
            if (kind, piece) in owned and kind in (5, 6, 7)
        )


@dataclass
class Bijou:
    account_id: int
    environment_id: int
    admin: User
    rep: User
    rep_co_no: int
    manager: User
    sage: Sage

    def viewer(self) -> Viewer:
        return Viewer.rep(self.account_id, self.rep.id)


@pytest.fixture
def bijou(site: Site, companies: tuple[Path, Path]) -> Bijou:
    """BIJOU synced; the rep is the salesperson owning the most documents without a
    representative (the CO_No 0 fallback); another salesperson is a manager."""
    clock, settings = site.web.clock, site.web.settings
    account_id, admin = seed.new_account(site.sessions, settings, clock)
    seed.activate(site.sessions, clock, account_id, seed.code_for(clock))
    environment_id = seed.connect(site.sessions, clock, account_id, "BIJOU", companies[0])
    sage = Sage(companies[0])
    candidates = seed.invitable(site.sessions, environment_id, 20)
    fallbacks = {co: sum(sage.owned(co).values()) for co in candidates}
    rep_co = max(candidates, key=lambda co: (fallbacks[co], len(sage.customers(co))))
    manager_co = next(co for co in candidates if co != rep_co)
    rep, manager = seed.invite(site.sessions, clock, environment_id, [rep_co, manager_co])
    rep = seed.activate_user(site.sessions, settings, clock, rep, Role.SALESREP)
    manager = seed.activate_user(site.sessions, settings, clock, manager, Role.MANAGER)
    return Bijou(account_id, environment_id, admin, rep, rep_co, manager, sage)


def customer_path(environment_id: int, code: str) -> str:
    return f"/portfolio/customers/{environment_id}/{quote(code)}"


def folded(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def customer_rows(page: BeautifulSoup) -> dict[str, Decimal]:
    """Code -> revenue of the customers table."""
    rows = page.select("table.customers tbody tr")
    return {
        row.select_one("code").get_text(): Decimal(row.select_one("[data-revenue]")["data-revenue"])
        for row in rows
        if row.select_one("code")
    }


def all_documents(site: Site, path: str) -> list[Document]:
    """Every document listed at `path` (a query string starts with "?"), following the pager."""
    found: list[Document] = []
    separator = "&" if "?" in path else "?"
    number = 1
    while True:
        response, page = site.get(f"{path}{separator}page={number}")
        assert response.status_code == 200
        for row in page.select("tr[data-document]"):
            _, kind, piece = str(row["data-document"]).split(":", 2)
            found.append((int(kind), piece))
        if not page.select_one("a[rel=next]"):
            return found
        number += 1


class TestRep:
    def test_lands_on_their_portfolio_with_only_their_customers(
        self, site: Site, bijou: Bijou
    ) -> None:
        site.sign_in(bijou.rep)
        response, page = site.get("/")
        assert response.status_code == 200
        assert page.find("h1").get_text() == "Mon portefeuille"
        assert site.get("/portfolio")[1].find("h1").get_text() == "Mon portefeuille"
        menu = page.select_one('nav.main-nav a[href="/portfolio"]')
        assert menu.get_text() == "Mon portefeuille" and menu["aria-current"] == "page"
        shown = customer_rows(page)
        assert set(shown) == bijou.sage.customers(bijou.rep_co_no) != set()
        # Revenue over the period shown is the portfolio query's.
        period = months_ending(bijou.sage.latest_sale(bijou.rep_co_no))
        with site.sessions() as session:
            expected = portfolio(session, viewer=bijou.viewer(), period=period, paging=ALL)
        assert shown == {c.ct_num: c.revenue for c in expected.items}
        assert "Représentant" not in [th.get_text() for th in page.select("thead th")]

    def test_history_holds_their_documents_including_those_without_representative(
        self, site: Site, bijou: Bijou
    ) -> None:
        site.sign_in(bijou.rep)
        expected = bijou.sage.owned(bijou.rep_co_no)
        assert any(expected.values()), "the rep owns documents through the CO_No 0 fallback"
        seen = all_documents(site, "/portfolio/history")
        assert len(seen) == len(set(seen))
        assert set(seen) == set(expected)

    def test_chart_figures_are_the_monthly_sales(self, site: Site, bijou: Bijou) -> None:
        site.sign_in(bijou.rep)
        _, page = site.get("/portfolio")
        period = months_ending(bijou.sage.latest_sale(bijou.rep_co_no))
        with site.sessions() as session:
            sales = monthly_sales(session, viewer=bijou.viewer(), period=period)
        rows = page.select(".sales-table tbody tr")
        assert [(r["data-month"], Decimal(r["data-net"])) for r in rows] == [
            (m.month.strftime("%Y-%m"), m.net) for m in sales
        ]
        assert len(page.select("svg rect.chart-column")) == len(sales) == 12
        assert "Ventes nettes par mois" in page.select_one("svg title").get_text()
        assert page.select_one("svg")["role"] == "img"
        total = sum((m.net for m in sales), Decimal(0))
        money = Formatter("fr", site.web.settings.timezone).money(total)
        assert f"Total : {' '.join(money.split())}." in text(page.select_one("svg desc"))

    def test_customer_page_and_its_documents(self, site: Site, bijou: Bijou) -> None:
        site.sign_in(bijou.rep)
        owned = bijou.sage.owned(bijou.rep_co_no)
        by_customer = {(k, p): c for k, p, c, _, _ in bijou.sage.documents()}
        code = max(
            bijou.sage.customers(bijou.rep_co_no),
            key=lambda c: sum(by_customer[d] == c for d in owned),
        )
        path = customer_path(bijou.environment_id, code)
        response, page = site.get(path)
        assert response.status_code == 200
        assert page.find("h1").get_text() and code in text(page.select_one(".plan"))
        shown = all_documents(site, path)
        assert len(shown) > PAGE_SIZE  # the pager is followed
        assert set(shown) == {d for d in owned if by_customer[d] == code}
        with site.sessions() as session:
            everything = portfolio(session, viewer=bijou.viewer(), paging=ALL)
        lifetime = {c.ct_num: c.revenue for c in everything.items}[code]
        assert Decimal(page.select_one("[data-lifetime]")["data-lifetime"]) == lifetime

    def test_customers_out_of_reach_are_not_found(
        self, site: Site, bijou: Bijou, companies: tuple[Path, Path]
    ) -> None:
        clock = site.web.clock
        other_id, _ = seed.new_account(
            site.sessions, site.web.settings, clock, name="Autre SA", admin_email="a@autre.fr"
        )
        seed.activate(site.sessions, clock, other_id, seed.code_for(clock))
        other_env = seed.connect(site.sessions, clock, other_id, "NORD", companies[1])
        foreign = sorted(Sage(companies[1]).customers())[0]
        colleague = sorted(bijou.sage.customers() - bijou.sage.customers(bijou.rep_co_no))[0]
        site.sign_in(bijou.rep)
        for env, code in ((other_env, foreign), (bijou.environment_id, colleague),
                          (bijou.environment_id, "NOBODY")):  # fmt: skip
            path = customer_path(env, code)
            response, page = site.get(path)
            assert response.status_code == 404, path
            assert page.find("h1").get_text() == "Page introuvable"
        site.sign_in(bijou.admin)  # the admin sees their whole account, still not another's
        assert site.get(customer_path(bijou.environment_id, colleague))[0].status_code == 200
        assert site.get(customer_path(other_env, foreign))[0].status_code == 404
        assert site.get("/portfolio/customers/x/y")[0].status_code == 400


class TestScopes:
    def test_manager_sees_the_environments_they_are_linked_in(
        self, site: Site, bijou: Bijou, companies: tuple[Path, Path]
    ) -> None:
        clock = site.web.clock
        nord = seed.connect(site.sessions, clock, bijou.account_id, "BIJOU-NORD", companies[1])
        site.sign_in(bijou.manager)
        response, page = site.get("/")
        assert response.status_code == 200 and page.find("h1").get_text() == "Mon portefeuille"
        assert "BIJOU" in text(page.select_one(".plan"))
        count = page.select_one("p.help").get_text()
        assert count.startswith(f"{len(bijou.sage.customers())} clients")  # BIJOU-NORD's left out
        assert "Représentant" in [th.get_text() for th in page.select("thead th")]
        site.sign_in(bijou.admin)
        _, page = site.get("/portfolio")
        assert page.find("h1").get_text() == "Portefeuilles"
        both = len(bijou.sage.customers()) + len(Sage(companies[1]).customers())
        assert page.select_one("p.help").get_text().startswith(f"{both} clients")
        assert "Société" in [th.get_text() for th in page.select("table.customers thead th")]
        _, page = site.get(f"/portfolio/history?environment={nord}&type=6&type=7")
        with site.sessions() as session:
            viewer = Viewer.whole_account(bijou.account_id)
            total = history(session, viewer=viewer, types=(6, 7), environment_id=nord).total
        assert page.select_one("p.help").get_text() == f"{total} documents"
        assert site.get("/")[0].headers["location"] == "/admin"  # admins keep their routing

    def test_search_paging_and_filters(self, site: Site, bijou: Bijou) -> None:
        site.sign_in(bijou.admin)
        every = bijou.sage.customers()
        first = customer_rows(site.get("/portfolio")[1])
        second = customer_rows(site.get("/portfolio?page=2")[1])
        assert len(first) == PAGE_SIZE and set(first) | set(second) == every
        assert not set(first) & set(second)
        rows = bijou.sage.rows(
            "SELECT trim(CT_Num), trim(CT_Intitule), trim(CT_Ville) FROM F_COMPTET "
            "WHERE CT_Type = 0 ORDER BY CT_Num"
        )
        code, _, city = rows[0]
        expected = {n for n, name, c in rows if folded(city) in folded(f"{n} {name} {c}")}
        found = customer_rows(site.get(f"/portfolio?q={quote(city.upper())}")[1])
        assert code in found and set(found) == expected
        _, page = site.get("/portfolio?q=zzzz-personne")
        assert "Aucun client ne correspond" in text(page)

        kinds = all_documents(site, "/portfolio/history?type=6&type=7")
        assert kinds and {kind for kind, _ in kinds} <= {6, 7}
        dated = {(k, p): d[:10] for k, p, _, _, d in bijou.sage.documents()}
        window = all_documents(site, "/portfolio/history?from=2024-01-01&to=2024-03-31")
        assert window and all("2024-01-01" <= dated[d] <= "2024-03-31" for d in window)
        owners = [c for _, _, c, _, _ in bijou.sage.documents()]
        busiest = max(every, key=owners.count)
        _, page = site.get(f"/portfolio/history?customer={quote(busiest)}")
        assert page.select_one("p.help").get_text() == f"{owners.count(busiest)} documents"
        response, page = site.get("/portfolio/history?from=31/12/2024&to=2024-01-01")
        assert response.status_code == 200 and "Date illisible" in text(page)
        response, page = site.get("/portfolio?from=2025-01-01&to=2024-01-01")
        assert response.status_code == 200 and "Période invalide" in text(page)

    def test_signed_out_people_go_to_sign_in(self, site: Site) -> None:
        for path in ("/portfolio", "/portfolio/history?type=6", "/portfolio/customers/1/X"):
            response, _ = site.get(path)
            assert response.status_code == 303
            assert response.headers["location"] == "/auth/sign-in?next=" + quote(path, safe="/")

    def test_english(self, site: Site, bijou: Bijou) -> None:
        site.sign_in(bijou.rep)
        site.web.client.cookies.set("lang", "en")
        _, page = site.get("/portfolio")
        assert page.find("h1").get_text() == "My portfolio"
        assert "Net sales per month" in page.select_one("svg title").get_text()


def test_a_sync_started_from_a_page_copies_customers_and_documents(
    site: Site, companies: tuple[Path, Path]
) -> None:
    clock = site.web.clock
    account_id, admin = seed.new_account(site.sessions, site.web.settings, clock)
    seed.activate(site.sessions, clock, account_id, seed.code_for(clock))
    with site.sessions.begin() as session:
        environment = accounts.add_environment(
            session,
            account_id=account_id,
            name="BIJOU",
            actor="t",
            source_url=str(companies[0]),
            sources=TEST_SOURCES,
        )
        session.expunge(environment)
    job = sync_jobs(site.web.app).start(environment, actor=admin.email)
    site.wait_for_syncs()
    assert job.finished and job.failure is None and job.status == "succeeded"
    assert job.stage == "document_lines"
    with site.sessions() as session:
        viewer = Viewer.whole_account(account_id)
        assert portfolio(session, viewer=viewer).total == len(Sage(companies[0]).customers())
        assert history(session, viewer=viewer).total == len(Sage(companies[0]).documents())


class TestFiguresAddUp:
    """Issue 19: the rep's two bases are labelled, and the customers' total is their rows' sum."""

    def test_rep_totals_are_labelled_and_the_customers_total_sums_the_rows(
        self, site: Site, bijou: Bijou
    ) -> None:
        site.sign_in(bijou.rep)
        _, page = site.get("/portfolio")
        shown = text(page)
        assert "Mes ventes nettes" in shown and "CA net de mes clients" in shown
        assert "quel que soit leur représentant" in shown
        rows = customer_rows(page)
        total = Decimal(page.select_one("table.customers tfoot [data-total]")["data-total"])
        assert total == sum(rows.values(), Decimal(0))
        # The rep's sales (the chart) are the documents they own, counted from Sage 100 rows.
        period = months_ending(bijou.sage.latest_sale(bijou.rep_co_no))
        with site.sessions() as session:
            sales = monthly_sales(session, viewer=bijou.viewer(), period=period)
        mine = sum((m.net for m in sales), Decimal(0))
        kpis = [li.select_one("strong").get_text() for li in page.select("ul.kpis li")]
        money = Formatter("fr", site.web.settings.timezone).money
        assert kpis[0] == money(mine) and kpis[1] == money(total)

    def test_admin_total_covers_every_page(self, site: Site, bijou: Bijou) -> None:
        site.sign_in(bijou.admin)
        first_page = site.get("/portfolio")[1]
        rows = customer_rows(first_page) | customer_rows(site.get("/portfolio?page=2")[1])
        total = Decimal(first_page.select_one("table.customers tfoot [data-total]")["data-total"])
        assert total == sum(rows.values(), Decimal(0))
        assert "toutes pages comprises" in text(first_page.select_one("table.customers tfoot"))
