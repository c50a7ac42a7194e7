"""/users/{id}/portfolio and /users/{id}/history: what the user sees of the replicated Sage 100
customers and documents (rule 15)."""

from __future__ import annotations

from sqlalchemy import func, select

from seatbridge.commerce.models import CommerceCustomer, CommerceDocument
from tests.api.seed import Seeded


def test_a_linked_rep_sees_their_customers_and_documents(seeded: Seeded) -> None:
    api = seeded.world
    user = seeded.linked_user_id
    portfolio = api.call("GET", f"/api/v1/users/{user}/portfolio?limit=2")
    assert portfolio.status_code == 200
    page = portfolio.json()
    with api.sessions() as session:
        customers = session.scalar(select(func.count()).select_from(CommerceCustomer))
        documents = session.scalar(select(func.count()).select_from(CommerceDocument))
    assert customers and documents  # the seed replicated the demo company
    assert page["total"] <= customers and len(page["items"]) <= 2
    walked, cursor = list(page["items"]), page["next_cursor"]
    while cursor:
        more = api.call("GET", f"/api/v1/users/{user}/portfolio?limit=2&cursor={cursor}").json()
        walked += more["items"]
        cursor = more["next_cursor"]
    assert len(walked) == page["total"]
    history = api.call("GET", f"/api/v1/users/{user}/history?types=6&types=7").json()
    assert all(doc["do_type"] in (6, 7) for doc in history["items"])
    dates = [doc["do_date"] for doc in history["items"] if doc["do_date"]]
    assert dates == sorted(dates, reverse=True)


def test_someone_without_collaborator_sees_nothing_and_strangers_are_404(seeded: Seeded) -> None:
    api = seeded.world
    mine = api.call("GET", f"/api/v1/users/{seeded.pending_user_id}/portfolio").json()
    assert (mine["items"], mine["total"], mine["next_cursor"]) == ([], 0, None)
    assert api.call("GET", "/api/v1/users/424242/history").status_code == 404
    backwards = api.call(
        "GET", f"/api/v1/users/{seeded.linked_user_id}/history?since=2026-02-01&until=2026-01-01"
    )
    assert backwards.status_code == 422 and backwards.json()["code"] == "commerce.invalid_period"
