"""Filters as Entra ID, Okta and demanding SCIM clients send them (RFC 7644 §3.4.2.2), on SQLite
and PostgreSQL: every answer is checked against the set of users it must name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.directory import service as directory
from tests.api.world import make_world
from tests.scim.conftest import Scim
from tests.scim.test_users import linked
from tests.support.factories import people


@pytest.fixture
def scim(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[Scim]:
    world = make_world(engine, sessions, tmp_path, seats=10)
    with world.client:
        yield Scim(world)


@pytest.fixture
def population(scim: Scim) -> dict[str, str]:
    """userName -> id: two linked (active) users, two awaiting review (inactive), one named by
    SCIM with a userName that is not their e-mail, one user SCIM never named, one hidden."""
    linked(scim, (1, "lea.martin@bijou-sa.fr"), (2, "paul@bijou-sa.fr"))
    ids: dict[str, str] = {}
    for user_name, extra in (
        ("lea.martin@bijou-sa.fr", {"externalId": "ENTRA-1"}),
        ("paul@bijou-sa.fr", {"externalId": "entra-2"}),
        ("ana@elsewhere.fr", {"name": {"givenName": "Ana", "familyName": "Lopez"}}),
        (
            "jdoe",
            {
                "emails": [{"value": "john.doe@bijou-sa.fr", "type": "other"}],
                "title": "Directeur commercial",
            },
        ),
        ("gone@bijou-sa.fr", {}),
    ):
        created = scim.create(user_name, **extra)
        assert created.status_code == 201, created.text
        ids[user_name] = created.json()["id"]
    with scim.world.sessions.begin() as session:
        (other,) = directory.invite_users(
            session,
            account_id=scim.world.account_id,
            people=people(1),
            actor="admin",
            clock=scim.world.clock,
        )
        ids[other.email.lower()] = str(other.id)
    assert scim.request("DELETE", f"/Users/{ids.pop('gone@bijou-sa.fr')}").status_code == 204
    return ids


def names(scim: Scim, scim_filter: str) -> set[str]:
    found = scim.find(scim_filter)
    assert found["totalResults"] == len(found["Resources"])
    return {resource["userName"].lower() for resource in found["Resources"]}


def test_entra_and_okta_lookups(scim: Scim, population: dict[str, str]) -> None:
    # Okta before every create; Entra with its matching attribute; both case-insensitive.
    assert names(scim, 'userName eq "LEA.MARTIN@BIJOU-SA.FR"') == {"lea.martin@bijou-sa.fr"}
    assert names(scim, 'userName eq "JDoe"') == {"jdoe"}
    assert names(scim, 'userName eq "john.doe@bijou-sa.fr"') == set()  # jdoe's userName is not it
    assert names(scim, 'externalId eq "ENTRA-1"') == {"lea.martin@bijou-sa.fr"}
    assert names(scim, 'externalId eq "entra-1"') == set()  # caseExact
    assert names(scim, 'emails[type eq "work"].value eq "Paul@Bijou-SA.fr"') == {"paul@bijou-sa.fr"}
    assert names(scim, 'emails[type eq "work"].value eq "john.doe@bijou-sa.fr"') == set()
    assert names(scim, 'emails[type eq "other"].value eq "john.doe@bijou-sa.fr"') == {"jdoe"}
    assert names(scim, 'emails.value eq "john.doe@bijou-sa.fr"') == {"jdoe"}
    assert names(scim, 'emails eq "JOHN.DOE@bijou-sa.fr"') == {"jdoe"}
    # A user created elsewhere in SSM is found by their e-mail as userName (no duplicate).
    invited = next(name for name in population if name.startswith("rep"))
    assert names(scim, f'userName eq "{invited.upper()}"') == {invited}
    # A hidden (SCIM-deleted) user is found by nothing.
    assert names(scim, 'userName eq "gone@bijou-sa.fr"') == set()
    assert names(scim, f'id eq "{population["jdoe"]}"') == {"jdoe"}


def test_or_not_and_parentheses(scim: Scim, population: dict[str, str]) -> None:
    everyone = set(population)
    assert names(scim, 'userName eq "paul@bijou-sa.fr" or userName eq "jdoe"') == {
        "paul@bijou-sa.fr",
        "jdoe",
    }
    assert names(scim, 'not (userName eq "jdoe")') == everyone - {"jdoe"}
    assert names(scim, 'not (externalId eq "entra-2")') == everyone - {"paul@bijou-sa.fr"}
    assert names(scim, 'externalId ne "entra-2"') == everyone - {"paul@bijou-sa.fr"}
    assert names(
        scim,
        '(externalId eq "ENTRA-1" or externalId eq "entra-2") and not (userName sw "paul")',
    ) == {"lea.martin@bijou-sa.fr"}
    assert names(scim, 'userName eq "jdoe" and (active eq true or active eq false)') == {"jdoe"}


def test_active_operators_and_presence(scim: Scim, population: dict[str, str]) -> None:
    invited = next(name for name in population if name.startswith("rep"))
    active = {"lea.martin@bijou-sa.fr", "paul@bijou-sa.fr", invited}
    assert names(scim, "active eq true") == active
    assert names(scim, 'active eq "False"') == set(population) - active  # Entra's strings
    assert names(scim, "active ne true") == set(population) - active
    assert names(scim, "externalId pr") == {"lea.martin@bijou-sa.fr", "paul@bijou-sa.fr"}
    assert names(scim, "not (externalId pr)") == set(population) - {
        "lea.martin@bijou-sa.fr",
        "paul@bijou-sa.fr",
    }
    assert names(scim, "userName pr") == set(population)
    assert names(scim, 'userName co "MARTIN"') == {"lea.martin@bijou-sa.fr"}
    assert names(scim, 'userName sw "LEA."') == {"lea.martin@bijou-sa.fr"}
    assert names(scim, 'userName ew "@ELSEWHERE.FR"') == {"ana@elsewhere.fr"}
    assert names(scim, 'userName co "%"') == set()  # LIKE wildcards are escaped
    assert names(scim, 'userName co "_"') == set()
    # jdoe's address is of type "other"; ana's is elsewhere.
    assert names(scim, 'emails[type eq "work" and value co "@bijou"]') == active
    assert names(scim, 'name.givenName eq "ANA" and name.familyName sw "lo"') == {
        "ana@elsewhere.fr"
    }
    assert names(scim, 'title co "commercial"') == {"jdoe"}
    assert names(scim, 'meta.created ge "2000-01-01T00:00:00Z"') == set(population)
    assert names(scim, 'meta.lastModified lt "2000-01-01T00:00:00Z"') == set()


def test_filters_page_with_the_total(scim: Scim, population: dict[str, str]) -> None:
    response = scim.request(
        "GET", "/Users", params={"filter": "active eq false or active eq true", "count": 2}
    ).json()
    assert (response["totalResults"], response["itemsPerPage"]) == (len(population), 2)
    past = scim.request("GET", "/Users", params={"startIndex": 50, "count": 2}).json()
    assert (past["totalResults"], past["itemsPerPage"]) == (len(population), 0)
    counted = scim.request("GET", "/Users", params={"count": 0}).json()
    assert (counted["totalResults"], counted["Resources"]) == (len(population), [])
    searched = scim.request(
        "POST", "/Users/.search", json={"filter": "not (active eq true)", "count": 10}
    ).json()
    assert searched["totalResults"] == 2
