"""Scenario tests, one per rule of docs/product.md that the sync engine carries (SQLite and PG)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts import seats
from seatbridge.accounts.models import Environment
from seatbridge.audit.models import AuditEvent
from seatbridge.directory import service as directory
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync import reviews
from seatbridge.sync.errors import SyncFailed
from seatbridge.sync.explain import explain_user
from seatbridge.sync.models import RunStatus, SyncRun
from seatbridge.sync.source import Sage100Source
from tests.support.factories import TODAY, clock
from tests.sync.helpers import make_world


def test_rule_02_emails_are_normalised_and_bad_ones_visible_but_not_invitable(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions)
    sage = world.sage["A"]
    sage.add(1, "  Jean.DUPONT@Bijou-SA.fr ")
    sage.add(2, None)
    sage.add(3, "")
    sage.add(4, "pas-une-adresse")
    sage.add(5, "a@bijou-sa.fr;b@bijou-sa.fr")
    world.sync()
    first = world.collaborator("A", 1)
    assert (first.email, first.email_normalized) == (
        "Jean.DUPONT@Bijou-SA.fr",
        "jean.dupont@bijou-sa.fr",
    )
    assert first.not_invitable is None
    reasons = {co: world.collaborator("A", co).not_invitable for co in (2, 3, 4, 5)}
    assert reasons == {2: "no_email", 3: "no_email", 4: "invalid_email", 5: "several_emails"}
    assert world.users() == []


def test_rule_03_the_link_is_followed_when_the_email_changes(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions)
    world.sage["A"].add(7, "marie@bijou-sa.fr")
    world.sync()
    created = world.create_user("marie@bijou-sa.fr")
    world.sage["A"].edit(7, email="Marie.Curie@bijou-sa.fr")
    world.sync()
    (user,) = world.users()
    assert user.id == created.user.id
    assert (user.email, user.email_normalized) == (
        "Marie.Curie@bijou-sa.fr",
        "marie.curie@bijou-sa.fr",
    )
    # A change that collides with another user becomes a review case; nothing is overwritten.
    world.create_user("other@bijou-sa.fr")
    world.sage["A"].edit(7, email="OTHER@bijou-sa.fr")
    world.sync()
    assert world.user("marie.curie@bijou-sa.fr").id == user.id
    collision = [c for c in world.cases() if c.kind == "email_collision"]
    assert len(collision) == 1 and collision[0].user_id == user.id
    world.sage["A"].edit(7, email="marie.c@bijou-sa.fr")
    world.sync()
    assert world.user("marie.c@bijou-sa.fr").id == user.id
    assert not [c for c in world.cases() if c.kind == "email_collision"]


def test_rule_04_and_24_one_person_in_two_companies_is_one_user_and_one_seat(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions, companies=("A", "B"))
    world.sage["A"].add(3, "paul@bijou-sa.fr")
    world.sage["B"].add(11, "Paul@Bijou-SA.fr")
    world.sync("A")
    world.sync("B")
    created = world.create_user("paul@bijou-sa.fr")
    assert created.case is None
    assert world.links() == {("A", 3, created.user.id), ("B", 11, created.user.id)}
    with sessions() as session:
        assert seats.seat_usage(session, account_id=world.account.id, today=TODAY).used == 1


def test_rule_16_new_collaborators_are_only_available_to_invite(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions, seats=2)
    world.sage["A"].add(1, "a@bijou-sa.fr")
    world.sync()
    assert world.users() == [] and world.collaborator("A", 1).not_invitable is None
    with sessions.begin() as session:  # the optional rule: auto-invite salespeople while seats last
        environment = session.get_one(Environment, world.environments["A"].id)
        environment.auto_invite_salespeople = True
    for co in (2, 3, 4):
        world.sage["A"].add(co, f"rep{co}@bijou-sa.fr")
    world.sage["A"].add(5, "buyer@bijou-sa.fr", is_salesperson=False)
    outcome = world.sync()
    assert outcome.counts["auto_invite"] == 2 and outcome.counts["auto_invite_skipped"] == 1
    assert sorted(u.email for u in world.users()) == ["rep2@bijou-sa.fr", "rep3@bijou-sa.fr"]
    assert {link[1] for link in world.links()} == {2, 3}


def test_rule_17_a_user_created_in_ssm_links_at_once_or_waits_for_review(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions)
    world.sage["A"].add(1, "claire.martin@bijou-sa.fr", first_name="Claire", last_name="MARTIN")
    world.sage["A"].add(2, "c.martins@bijou-sa.fr", first_name="Claude", last_name="MARTINS")
    world.sage["A"].add(3, "luc@bijou-sa.fr", first_name="Luc", last_name="BERNARD")
    world.sync()
    linked = world.create_user("CLAIRE.martin@bijou-sa.fr")
    assert linked.case is None and linked.user.status == "invited"
    assert ("A", 1, linked.user.id) in world.links()

    waiting = world.create_user(
        "claude.martins@gmail.com", first_name="Claude", last_name="Martins"
    )
    assert waiting.user.status == "pending_review" and waiting.case is not None
    assert waiting.case.kind == "no_match"
    best = waiting.case.candidates[0]
    assert best["co_no"] == 2 and 0 < best["score"] <= 1
    assert [c["score"] for c in waiting.case.candidates] == sorted(
        (c["score"] for c in waiting.case.candidates), reverse=True
    )
    with sessions() as session:  # waiting for review: no seat held, no e-mail
        assert seats.seat_usage(session, account_id=world.account.id, today=TODAY).used == 1

    with sessions.begin() as session:
        reviews.resolve_link(
            session,
            account_id=world.account.id,
            case_id=waiting.case.id,
            environment_id=world.environments["A"].id,
            co_no=2,
            actor="admin@test",
            clock=clock(),
        )
    assert world.user("claude.martins@gmail.com").status == "invited"
    assert ("A", 2, waiting.user.id) in world.links()

    solo = world.create_user("consultant@partner.fr", first_name="Zoé", last_name="Externe")
    assert solo.case is not None
    with sessions.begin() as session:
        reviews.resolve_ssm_only(
            session,
            account_id=world.account.id,
            case_id=solo.case.id,
            actor="admin@test",
            clock=clock(),
        )
    assert world.user("consultant@partner.fr").status == "invited"


def test_rule_17_a_later_sync_links_a_waiting_user_and_closes_the_case(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions)
    world.sync()
    waiting = world.create_user("new.rep@bijou-sa.fr")
    assert waiting.case is not None
    world.sage["A"].add(42, "New.Rep@bijou-sa.fr", first_name="Nouveau", last_name="REP")
    world.sync()
    user = world.user("new.rep@bijou-sa.fr")
    assert user.id == waiting.user.id and user.status == "invited"
    assert world.links() == {("A", 42, user.id)}
    (case,) = world.cases(status=None)
    assert (case.status, case.resolution) == ("resolved", "auto")
    with sessions() as session:  # nothing the user did is lost: same user, history kept
        events = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.subject_type == "user", AuditEvent.subject_id == str(user.id)
            )
        ).all()
        assert events[0] == "user.create" and "user.link" in events


def test_rule_17_several_matches_open_a_case(sessions: sessionmaker[Session]) -> None:
    world = make_world(sessions)
    world.sage["A"].add(1, "shared@bijou-sa.fr")
    world.sage["A"].add(2, "SHARED@bijou-sa.fr")
    world.sync()
    created = world.create_user("shared@bijou-sa.fr")
    assert created.case is not None and created.case.kind == "several_matches"
    assert sorted(c["co_no"] for c in created.case.candidates) == [1, 2]
    assert world.links() == set()


def test_rule_18_sage_masters_the_details_of_linked_users(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions)
    world.sage["A"].add(5, "anne@bijou-sa.fr", first_name="Anne", last_name="PETIT")
    world.sync()
    world.create_user("anne@bijou-sa.fr", first_name="Annie", last_name="Petit")
    world.sync()
    world.sage["A"].edit(
        5,
        function="Directrice commerciale",
        phone="01 02 03 04 05",
        mobile="06 07 08 09 10",
        last_name="PETIT-DURAND",
    )
    world.sync()
    user = world.user("anne@bijou-sa.fr")
    assert (user.first_name, user.last_name, user.function, user.phone, user.mobile) == (
        "Anne",
        "PETIT-DURAND",
        "Directrice commerciale",
        "01 02 03 04 05",
        "06 07 08 09 10",
    )


def test_rule_19_dormant_and_deleted_flag_the_user_without_touching_access(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions)
    for co in (1, 2):
        world.sage["A"].add(co, f"rep{co}@bijou-sa.fr")
    world.sync()
    for co in (1, 2):
        world.create_user(f"rep{co}@bijou-sa.fr")
    world.sage["A"].edit(1, dormant=True)
    world.sage["A"].delete(2)
    outcome = world.sync(full=True)
    assert outcome.counts["flag_user"] == 2
    assert {u.status for u in world.users()} == {"invited"}
    assert world.collaborator("A", 1).not_invitable == "dormant"
    assert world.collaborator("A", 2).deleted_at is not None
    explained = explain_user_of(world, "rep1@bijou-sa.fr")
    assert "en sommeil dans Sage 100" in explained["summary"]
    assert "supprimé dans Sage 100" in explain_user_of(world, "rep2@bijou-sa.fr")["summary"]


def test_rule_19_an_environment_may_opt_into_deactivate_on_dormant(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions)
    with sessions.begin() as session:
        session.get_one(Environment, world.environments["A"].id).on_dormant = "deactivate"
    world.sage["A"].add(1, "rep@bijou-sa.fr")
    world.sync()
    world.create_user("rep@bijou-sa.fr")
    world.sage["A"].edit(1, dormant=True)
    world.sync()
    assert world.user("rep@bijou-sa.fr").status == "disabled"
    with sessions() as session:
        assert seats.seat_usage(session, account_id=world.account.id, today=TODAY).used == 0


def test_rule_20_two_collaborators_with_one_email_are_never_resolved_silently(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions)
    world.sync()
    world.create_user("twin@bijou-sa.fr")
    world.sage["A"].add(1, "twin@bijou-sa.fr")
    world.sage["A"].add(2, "Twin@bijou-sa.fr ")
    world.sync()
    assert world.links() == set()
    shared = [c for c in world.cases() if c.kind == "shared_email"]
    assert len(shared) == 1 and shared[0].candidates and len(shared[0].candidates) == 2
    assert {world.collaborator("A", co).not_invitable for co in (1, 2)} == {"shared_email"}
    world.sage["A"].edit(2, email="twin2@bijou-sa.fr")  # fixed in Sage 100
    world.sync()
    assert not [c for c in world.cases() if c.kind == "shared_email"]
    assert world.links() == {("A", 1, world.user("twin@bijou-sa.fr").id)}


def test_rule_21_the_safety_brake_stops_mass_flagging_until_confirmed(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions, seats=20)
    for co in range(1, 11):
        world.sage["A"].add(co, f"rep{co}@bijou-sa.fr")
    world.sync()
    for co in range(1, 11):
        world.create_user(f"rep{co}@bijou-sa.fr")
    for co in range(1, 4):  # 3 of 10: under the minimum of 5, applied
        world.sage["A"].delete(co)
    assert world.sync(full=True).status is RunStatus.SUCCEEDED
    for co in range(4, 9):  # 5 more of 10 (50 %): stopped before changing anything
        world.sage["A"].delete(co)
    blocked = world.sync(full=True)
    assert blocked.status is RunStatus.BLOCKED and blocked.plan is not None
    assert blocked.plan.harmful == 5
    assert all(world.collaborator("A", co).deleted_at is None for co in range(4, 9))
    confirmed = world.sync(full=True, confirm=True)
    assert confirmed.status is RunStatus.SUCCEEDED and confirmed.counts["flag_user"] == 5


def test_rule_21_a_failed_read_fails_the_run_and_changes_nothing(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions)
    world.sage["A"].add(1, "rep@bijou-sa.fr")
    world.sync()
    # The real reader against a port where nothing listens: a refused connection.
    unreachable = Sage100Reader("postgresql+psycopg://sage@127.0.0.1:9/BIJOU", connect_timeout=2)
    world.sage["A"] = Sage100Source(unreachable)  # type: ignore[assignment]
    with pytest.raises(SyncFailed) as failed:
        world.sync(full=True)
    assert "changed nothing" in failed.value.message("en")
    assert world.collaborator("A", 1).deleted_at is None
    with sessions() as session:
        last = session.scalars(select(SyncRun).order_by(SyncRun.id.desc())).first()
        assert last is not None and last.status == "failed" and last.error


def test_rule_22_incremental_runs_are_idempotent_and_full_runs_detect_deletions(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions)
    for co in range(1, 6):
        world.sage["A"].add(co, f"rep{co}@bijou-sa.fr")
    first = world.sync()
    assert first.plan is not None and first.plan.full  # no watermark yet: a full read
    second = world.sync()
    assert second.plan is not None and not second.plan.full and second.plan.is_noop
    world.sage["A"].edit(2, phone="0102030405")
    world.sage["A"].delete(5)
    incremental = world.sync()
    assert incremental.counts == {"update_collaborator": 1}
    full = world.sync(full=True)
    assert full.counts == {"remove_collaborator": 1}
    assert world.sync(full=True).plan.is_noop  # type: ignore[union-attr]
    preview = world.sync(dry_run=True)
    assert preview.status is RunStatus.PREVIEW


def test_rule_22_a_dry_run_changes_nothing(sessions: sessionmaker[Session]) -> None:
    world = make_world(sessions)
    world.sage["A"].add(1, "rep@bijou-sa.fr")
    preview = world.sync(dry_run=True)
    assert preview.counts == {"add_collaborator": 1}
    with sessions() as session:
        from seatbridge.sync.models import Collaborator

        assert session.scalar(select(func.count()).select_from(Collaborator)) == 0
    assert world.sync().counts == {"add_collaborator": 1}  # the watermark did not move


def test_rule_23_explain_says_why_since_when_and_by_whom(sessions: sessionmaker[Session]) -> None:
    world = make_world(sessions)
    world.sage["A"].add(9, "eve@bijou-sa.fr", first_name="Ève", last_name="LAMBERT")
    world.sync()
    world.create_user("eve@bijou-sa.fr")
    explained = explain_user_of(world, "eve@bijou-sa.fr")
    (link,) = explained["links"]
    assert link["co_no"] == 9 and link["linked_by"] == "admin@test"
    assert link["reason"] == "même adresse e-mail à la création"
    assert "lié au collaborateur n° 9 (Ève LAMBERT) de A" in explained["summary"]
    with world.sessions() as session:
        english = explain_user(
            session, account_id=world.account.id, email="eve@bijou-sa.fr", locale="en"
        )
    assert english["links"][0]["reason"] == "exact e-mail match at creation"
    assert "linked to collaborator no. 9 (Ève LAMBERT) of A since" in english["summary"]
    assert [e["action"] for e in explained["history"]][-1] == "user.create"


def test_a_user_linked_while_no_seat_is_free_waits_visibly(
    sessions: sessionmaker[Session],
) -> None:
    world = make_world(sessions, seats=1)
    world.sync()
    waiting = world.create_user("late@bijou-sa.fr")
    with sessions.begin() as session:
        directory.invite_users(
            session,
            account_id=world.account.id,
            actor="a",
            clock=clock(),
            people=[directory.NewUser(email="seat.taker@bijou-sa.fr")],
        )
    world.sage["A"].add(1, "late@bijou-sa.fr")
    outcome = world.sync()
    assert outcome.counts["awaiting_seat"] == 1 and outcome.counts["link"] == 1
    (case,) = [c for c in world.cases() if c.kind == "awaiting_seat"]
    assert world.user("late@bijou-sa.fr").status == "pending_review"
    with sessions.begin() as session:
        taker = directory.find_user_by_email(
            session, account_id=world.account.id, email="seat.taker@bijou-sa.fr"
        )
        assert taker is not None
        directory.deactivate_users(
            session, account_id=world.account.id, user_ids=[taker.id], actor="a", clock=clock()
        )
        reviews.resolve_invite(
            session, account_id=world.account.id, case_id=case.id, actor="admin@test", clock=clock()
        )
    assert world.user("late@bijou-sa.fr").status == "invited"
    assert waiting.user.id == world.user("late@bijou-sa.fr").id


def explain_user_of(world, email: str):  # type: ignore[no-untyped-def]
    with world.sessions() as session:
        return explain_user(session, account_id=world.account.id, email=email)
