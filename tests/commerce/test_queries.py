"""Portfolio, history and monthly sales: filters, paging and sums checked against the Sage rows."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.commerce.errors import InvalidPage, InvalidPeriod, UserNotFound
from seatbridge.commerce.queries import Paging, Period, history, monthly_sales, portfolio
from seatbridge.commerce.scope import Viewer, viewer_for
from tests.commerce.helpers import Company, make_company
from tests.commerce.sage import SageFile, stamp, text
from tests.commerce.test_attribution import owned

YEAR_2024 = Period(dt.date(2024, 1, 1), dt.date(2025, 1, 1))


@pytest.fixture
def company(sessions: sessionmaker[Session], sage_files: dict[str, SageFile]) -> Company:
    company = make_company(sessions, {"A": sage_files["A"]})
    company.replicate()
    company.know_collaborators()
    return company


def folded(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def signed_totals(sage: SageFile, period: Period | None) -> list[tuple[str, dt.datetime, Decimal]]:
    """(customer, date, signed amount) of the invoices (+) and credit notes (-)."""
    result = []
    for kind, _piece, tiers, _rep, total, date in sage.documents():
        when = stamp(date)
        if kind not in (5, 6, 7) or total is None or when is None:
            continue
        if period and not (period.bounds[0] <= when < period.bounds[1]):
            continue
        amount = Decimal(str(total)).quantize(Decimal("0.000001"))
        result.append((text(tiers) or "", when, -amount if kind == 5 else amount))
    return result


class TestPortfolio:
    def test_search_by_name_code_or_city(self, company: Company) -> None:
        rows = company.files["A"].rows(
            "SELECT trim(CT_Num), CT_Intitule, CT_Ville FROM F_COMPTET WHERE CT_Type = 0"
        )
        admin = Viewer.whole_account(company.account.id)
        for search in ("bijou", "CARAT", "Écrin", "PARIS", "ly", "100%_"):
            expected = {
                num
                for num, name, city in rows
                if folded(search) in folded(" ".join(filter(None, (num, text(name), text(city)))))
            }
            with company.sessions() as session:
                page = portfolio(session, viewer=admin, search=search, paging=Paging(1, 200))
            assert {c.ct_num for c in page.items} == expected, search
            assert page.total == len(expected)
            assert expected or search == "100%_"

    def test_pages_are_ordered_and_disjoint(self, company: Company) -> None:
        admin = Viewer.whole_account(company.account.id)
        with company.sessions() as session:
            pages = [portfolio(session, viewer=admin, paging=Paging(n, 15)) for n in (1, 2, 3, 4)]
        names = [(c.name or "", c.ct_num) for page in pages for c in page.items]
        assert len(names) == 40 == pages[0].total and pages[0].pages == 3
        assert names == sorted(names) and not pages[3].items

    def test_revenue_is_invoices_minus_credit_notes_over_the_period(self, company: Company) -> None:
        expected: dict[str, Decimal] = defaultdict(Decimal)
        for customer, _when, amount in signed_totals(company.files["A"], YEAR_2024):
            expected[customer] += amount
        viewer = company.user(("A", 2))
        with company.sessions() as session:
            page = portfolio(session, viewer=viewer, period=YEAR_2024, paging=Paging(1, 200))
        assert page.items
        assert {c.ct_num: c.revenue for c in page.items} == {
            c.ct_num: expected.get(c.ct_num, Decimal(0)) for c in page.items
        }
        assert any(c.revenue for c in page.items)


class TestHistory:
    def test_filters_by_type_period_and_customer(self, company: Company) -> None:
        admin = Viewer.whole_account(company.account.id)
        sage = company.files["A"]
        expected = {
            piece
            for kind, piece, tiers, _rep, _total, date in sage.documents()
            if kind in (6, 7)
            and text(tiers) == "CARAT"
            and YEAR_2024.bounds[0] <= (stamp(date) or dt.datetime.min) < YEAR_2024.bounds[1]
        }
        with company.sessions() as session:
            page = history(
                session,
                viewer=admin,
                types=[6, 7],
                period=YEAR_2024,
                customer="CARAT",
                paging=Paging(1, 200),
            )
        assert expected and {d.do_piece for d in page.items} == expected
        assert all(d.customer_name == "Carat Joaillerie" for d in page.items)

    def test_newest_first_in_pages(self, company: Company) -> None:
        viewer = company.user(("A", 2))
        with company.sessions() as session:
            pages = [history(session, viewer=viewer, paging=Paging(n, 20)) for n in range(1, 6)]
        documents = [d for page in pages for d in page.items]
        assert pages[0].total == len(owned(company, "A", 2)) == len(documents) > 60
        dates = [d.do_date for d in documents]
        assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
        assert len({(d.do_type, d.do_piece) for d in documents}) == len(documents)


class TestMonthlySales:
    def test_every_month_of_the_account_to_the_cent(self, company: Company) -> None:
        expected: dict[dt.date, Decimal] = defaultdict(Decimal)
        for _customer, when, amount in signed_totals(company.files["A"], YEAR_2024):
            expected[when.date().replace(day=1)] += amount
        with company.sessions() as session:
            months = monthly_sales(
                session, viewer=Viewer.whole_account(company.account.id), period=YEAR_2024
            )
        assert [m.month for m in months] == [dt.date(2024, n, 1) for n in range(1, 13)]
        assert {m.month: m.net for m in months} == {m.month: expected[m.month] for m in months}
        assert sum(m.credited for m in months) > 0

    def test_a_reps_months_count_their_documents_only(self, company: Company) -> None:
        sage = company.files["A"]
        mine = {piece for _env, _kind, piece in owned(company, "A", 2)}
        expected: dict[dt.date, Decimal] = defaultdict(Decimal)
        for kind, piece, _tiers, _rep, total, date in sage.documents():
            when = stamp(date)
            if piece in mine and kind in (5, 6, 7) and when and dt.datetime(2023, 1, 1) <= when:
                amount = Decimal(str(total)).quantize(Decimal("0.000001"))
                expected[when.date().replace(day=1)] += -amount if kind == 5 else amount
        period = Period(dt.date(2023, 1, 1), dt.date(2025, 7, 1))
        with company.sessions() as session:
            months = monthly_sales(session, viewer=company.user(("A", 2)), period=period)
        assert len(months) == 30
        assert {m.month: m.net for m in months} == {m.month: expected[m.month] for m in months}

    def test_bad_periods_and_pages_are_refused(self) -> None:
        with pytest.raises(InvalidPeriod):
            Period(dt.date(2025, 1, 2), dt.date(2025, 1, 1))
        with pytest.raises(InvalidPage):
            Paging(0, 10)
        with pytest.raises(InvalidPage):
            Paging(1, 1000)


class TestAccountIsolation:
    def test_no_query_crosses_accounts(
        self, sessions: sessionmaker[Session], sage_files: dict[str, SageFile]
    ) -> None:
        first = make_company(sessions, {"A": sage_files["A"]})
        second = make_company(sessions, {"A": sage_files["B"]})
        for company in (first, second):
            company.replicate()
            company.know_collaborators()
        intruder = second.user(("A", 2), role="admin")
        first_rep, first_admin = first.user(("A", 2)), first.user(role="admin")
        mine = {second.environments["A"].id}
        viewers = [
            intruder,
            Viewer.whole_account(second.account.id),
            Viewer.environments(second.account.id, mine | {first.environments["A"].id}),
            # A user id of the first account under the second's account id sees nothing.
            Viewer.rep(second.account.id, first_rep.user_id or 0),
        ]
        with sessions() as session:
            for viewer in viewers:
                seen = {c.environment_id for c in portfolio(session, viewer=viewer).items}
                seen |= {d.environment_id for d in history(session, viewer=viewer).items}
                assert seen <= mine
            account_months = monthly_sales(session, viewer=viewers[2], period=YEAR_2024)
            only_mine = monthly_sales(session, viewer=viewers[1], period=YEAR_2024)
            assert account_months == only_mine
            with pytest.raises(UserNotFound):
                viewer_for(session, account_id=second.account.id, user_id=first_admin.user_id or 0)
