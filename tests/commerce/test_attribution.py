"""Who sees which customers and documents (rule 15), decided at read time from the links."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.commerce.queries import Paging, history, portfolio
from seatbridge.commerce.scope import Reach, Viewer, viewer_for
from tests.commerce.helpers import Company, make_company
from tests.commerce.sage import SageFile, text

ALL = Paging(1, 200)


@pytest.fixture
def company(sessions: sessionmaker[Session], sage_files: dict[str, SageFile]) -> Company:
    company = make_company(sessions, sage_files)
    for name in ("A", "B"):
        company.replicate(name)
        company.know_collaborators(name)
    return company


def documents_seen(company: Company, viewer: Viewer) -> set[tuple[str, int, str]]:
    names = {environment.id: name for name, environment in company.environments.items()}
    with company.sessions() as session:
        page = history(session, viewer=viewer, paging=ALL)
        assert page.total <= ALL.size  # one page holds them all
        return {(names[d.environment_id], d.do_type, d.do_piece) for d in page.items}


def customers_seen(company: Company, viewer: Viewer) -> set[tuple[str, str]]:
    names = {environment.id: name for name, environment in company.environments.items()}
    with company.sessions() as session:
        page = portfolio(session, viewer=viewer, paging=ALL)
        return {(names[c.environment_id], c.ct_num) for c in page.items}


def owned(company: Company, name: str, co_no: int) -> set[tuple[str, int, str]]:
    """Rule 15 computed from the Sage rows: own representative, else the customer's."""
    sage = company.files[name]
    reps = dict(sage.rows("SELECT trim(CT_Num), CO_No FROM F_COMPTET WHERE CT_Type = 0"))
    known = {co for (co,) in sage.rows("SELECT CO_No FROM F_COLLABORATEUR")}
    result = set()
    for kind, piece, tiers, rep, _total, _date in sage.documents():
        owner = rep if rep and rep in known else reps.get(text(tiers) or "")
        if owner == co_no:
            result.add((name, kind, piece))
    return result


def customers_of_rep(company: Company, name: str, co_no: int) -> set[tuple[str, str]]:
    rows = company.files[name].rows(
        "SELECT trim(CT_Num) FROM F_COMPTET WHERE CT_Type = 0 AND CO_No = ?", (co_no,)
    )
    return {(name, num) for (num,) in rows}


class TestRepresentatives:
    def test_a_rep_sees_their_customers_and_documents(self, company: Company) -> None:
        viewer = company.user(("A", 2))
        assert customers_seen(company, viewer) == customers_of_rep(company, "A", 2)
        seen = documents_seen(company, viewer)
        assert seen == owned(company, "A", 2)
        sage = company.files["A"]
        own = {
            ("A", k, p)
            for k, p in sage.rows("SELECT DO_Type, DO_Piece FROM F_DOCENTETE WHERE CO_No = 2")
        }
        assert own <= seen

    def test_a_document_without_representative_is_its_customers_reps(
        self, company: Company
    ) -> None:
        sage = company.files["A"]
        rows = sage.rows(
            "SELECT d.DO_Type, d.DO_Piece, c.CO_No FROM F_DOCENTETE d JOIN F_COMPTET c "
            "ON c.CT_Num = d.DO_Tiers WHERE d.CO_No = 0 AND c.CO_No <> 0 LIMIT 1"
        )
        kind, piece, customer_rep = rows[0]
        assert ("A", kind, piece) in documents_seen(company, company.user(("A", customer_rep)))

    def test_an_unknown_representative_falls_back_to_the_customers(self, company: Company) -> None:
        sage = company.files["A"]
        ((piece, _tiers),) = sage.rows(
            "SELECT DO_Piece, DO_Tiers FROM F_DOCENTETE d WHERE DO_Type = 6 AND CO_No <> 0 AND "
            "(SELECT CO_No FROM F_COMPTET WHERE CT_Num = d.DO_Tiers) = 2 LIMIT 1"
        )
        sage.execute(
            "UPDATE F_DOCENTETE SET CO_No = 99, cbModification = ? WHERE DO_Piece = ?",
            (sage.stamp(), piece),
        )
        company.replicate("A")

        assert ("A", 6, piece) in documents_seen(company, company.user(("A", 2)))

    def test_a_known_unlinked_representative_keeps_their_documents(self, company: Company) -> None:
        """CO_No 6 exists (a dormant salesperson nobody is linked to): no fallback."""
        sage = company.files["A"]
        mine = {
            ("A", k, p)
            for k, p in sage.rows("SELECT DO_Type, DO_Piece FROM F_DOCENTETE WHERE CO_No = 6")
        }
        assert mine
        customer_reps = {
            co
            for (co,) in sage.rows(
                "SELECT DISTINCT c.CO_No FROM F_DOCENTETE d "
                "JOIN F_COMPTET c ON c.CT_Num = d.DO_Tiers WHERE d.CO_No = 6"
            )
        }
        for rep in customer_reps:
            assert not mine & documents_seen(company, company.user(("A", rep)))

    def test_a_user_linked_in_two_companies_sees_both(self, company: Company) -> None:
        viewer = company.user(("A", 2), ("B", 3))
        assert documents_seen(company, viewer) == owned(company, "A", 2) | owned(company, "B", 3)
        assert customers_seen(company, viewer) == (
            customers_of_rep(company, "A", 2) | customers_of_rep(company, "B", 3)
        )

    def test_a_user_linked_later_sees_the_whole_history_at_once(self, company: Company) -> None:
        viewer = company.user()
        assert documents_seen(company, viewer) == set()
        with company.sessions.begin() as session:
            assert viewer.user_id is not None
            company.link(session, viewer.user_id, "A", 4)
        assert documents_seen(company, viewer) == owned(company, "A", 4)
        assert len(documents_seen(company, viewer)) > 10


class TestRoles:
    def test_a_manager_sees_the_environments_where_they_are_linked(self, company: Company) -> None:
        rep = company.user(("B", 2), role="manager")
        assert rep.user_id is not None
        with company.sessions() as session:
            viewer = viewer_for(session, account_id=company.account.id, user_id=rep.user_id)
        assert viewer.reach is Reach.ENVIRONMENTS
        assert viewer.environment_ids == {company.environments["B"].id}
        with company.sessions() as session:
            page = history(session, viewer=viewer, paging=Paging(1, 10))
            assert page.total == len(company.files["B"].expected_headers())
            assert {d.environment_id for d in page.items} == {company.environments["B"].id}
            assert portfolio(session, viewer=viewer).total == 40

    def test_an_admin_sees_the_whole_account(self, company: Company) -> None:
        admin = company.user(role="admin")
        assert admin.user_id is not None
        with company.sessions() as session:
            viewer = viewer_for(session, account_id=company.account.id, user_id=admin.user_id)
            assert viewer.reach is Reach.ACCOUNT
            assert history(session, viewer=viewer, paging=Paging(1, 1)).total == 600
            assert portfolio(session, viewer=viewer, paging=Paging(1, 1)).total == 80

    def test_a_salesrep_sees_their_own(self, company: Company) -> None:
        rep = company.user(("A", 2))
        assert rep.user_id is not None
        with company.sessions() as session:
            viewer = viewer_for(session, account_id=company.account.id, user_id=rep.user_id)
        assert viewer == Viewer.rep(company.account.id, rep.user_id)
