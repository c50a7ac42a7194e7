"""« Qualité des données Sage 100 »: one domain function behind the page, the CLI, the API and
the CSV export; hand-written rows of a real layout; SQLite and PostgreSQL stores."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts.errors import EnvironmentNotFound
from seatbridge.accounts.models import Environment
from seatbridge.commerce.replication import replicate
from seatbridge.csvexport import csv_lines
from seatbridge.quality import QualityReport, csv_header, data_quality
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sync.runner import run_sync
from seatbridge.sync.source import Sage100Source
from tests.support.factories import clock, make_account, make_environment
from tests.support.sage_layouts import SageCompany


def dirty_shop(path: Path) -> SageCompany:
    sage = SageCompany(path, "recent")
    sage.collaborator(1, "DUPONT", "Jean", "jean.dupont@bijou-sa.fr")
    sage.collaborator(2, "SANSMAIL", "Léa", None)
    sage.collaborator(3, "FAUX", "Marc", "marc@")
    sage.collaborator(4, "DOUBLE", "Anne", "anne@bijou-sa.fr; anne.double@bijou-sa.fr")
    sage.collaborator(5, "BOUTIQUE", "Lille", "boutique@bijou-sa.fr")
    sage.collaborator(6, "BOUTIQUE", "Arras", "Boutique@Bijou-SA.fr")
    sage.collaborator(None, "SANSNUMERO", "Paul", "paul@bijou-sa.fr")
    sage.customer("CARAT", "Bijouterie Carat", 1)
    sage.customer("NOREP", "Sans représentant", None)
    sage.customer("GHOST", "Représentant fantôme", 99)
    sage.customer("EVIL", '=HYPERLINK("http://evil.example","x")', None)
    sage.document(6, "FA00001", "CARAT", 1)
    sage.document(6, "FA00002", "NOREP", None)
    sage.document(6, "FA00003", "CARAT", None)  # its customer's representative: fine
    sage.document(6, "", "CARAT", 1)  # set aside
    return sage


def load(sessions: sessionmaker[Session], sage: SageCompany) -> Environment:
    with sessions.begin() as session:
        environment = make_environment(session, make_account(session), "BIJOU")
        session.expunge(environment)
    with Sage100Reader(sage.url) as reader:
        run_sync(sessions, account_id=environment.account_id, environment_id=environment.id,
                 source=Sage100Source(reader), actor="test", clock=clock())  # fmt: skip
        replicate(sessions, environment=environment, reader=reader, clock=clock())
    return environment


def report_of(
    sessions: sessionmaker[Session], environment: Environment, **kw: object
) -> QualityReport:
    with sessions() as session:
        return data_quality(
            session, account_id=environment.account_id, environment_id=environment.id, **kw
        )  # type: ignore[arg-type]


def test_what_to_fix_in_sage(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    environment = load(sessions, dirty_shop(tmp_path / "bijou.db"))
    report = report_of(sessions, environment)
    people = {item.key: item for item in report.section("collaborators").items}
    assert set(people) == {"CO_No 2", "CO_No 3", "CO_No 4", "CO_No 5", "CO_No 6"}
    assert str(people["CO_No 2"].problem) == "pas d'adresse e-mail"
    assert str(people["CO_No 3"].problem) == "adresse e-mail invalide : marc@"
    assert "plusieurs adresses dans un seul champ" in str(people["CO_No 4"].problem)
    assert str(people["CO_No 5"].problem) == (
        "adresse boutique@bijou-sa.fr partagée avec n° 6 BOUTIQUE Arras"
    )
    assert "n° 5 BOUTIQUE Lille" in str(people["CO_No 6"].problem)
    assert all("CO_EMail" in str(item.fix) for item in people.values())
    aside = report.section("rows_set_aside")
    assert aside.count == 2
    assert {(i.table, str(i.fix)) for i in aside.items} == {
        ("F_COLLABORATEUR", "CO_No dans F_COLLABORATEUR"),
        ("F_DOCENTETE", "DO_Piece dans F_DOCENTETE"),
    }
    customers = {
        item.key: str(item.problem) for item in report.section("customers_without_rep").items
    }
    assert customers == {
        "CT_Num EVIL": "aucun représentant",
        "CT_Num GHOST": "représentant n° 99 inconnu dans F_COLLABORATEUR",
        "CT_Num NOREP": "aucun représentant",
    }
    documents = report.section("documents_without_rep")
    assert [item.key for item in documents.items] == ["FA00002 (DO_Type 6)"]
    assert report.problems == 5 + 2 + 3 + 1
    # English, for an English reader.
    english = report.as_dict("en")
    assert english["sections"][0]["title"] == "Collaborators who cannot be invited"
    assert english["sections"][0]["items"][0]["problem"] == "no e-mail address"


def test_the_csv_export_is_complete_and_safe(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    environment = load(sessions, dirty_shop(tmp_path / "bijou.db"))
    report = report_of(sessions, environment, limit=None)
    text = "".join(csv_lines(csv_header(), report.csv_rows()))
    assert text.startswith("\ufeffRubrique,Table Sage,Clé,Nom,Problème,Champ à corriger")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1 + report.problems
    names = [row[3] for row in rows]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_another_account_sees_nothing(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    environment = load(sessions, dirty_shop(tmp_path / "bijou.db"))
    with sessions.begin() as session:
        other = make_account(session)
        other_id = other.id
    with sessions() as session, pytest.raises(EnvironmentNotFound):
        data_quality(session, account_id=other_id, environment_id=environment.id)
