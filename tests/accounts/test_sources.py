"""SEATBRIDGE_DIRECT_SOURCES: a tenant cannot make the server read what is not theirs (rule 25).

The attacks of issue 13 replayed through the API on SQLite and PostgreSQL stores: another
account's company file, a system file, an internal database host, a closed port. Each gets the
same 422 sentence, nothing is opened (a real listening socket sees no connection), and the
legitimate path (a company in the allowed folder) still connects and syncs.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts import errors
from seatbridge.accounts import service as accounts
from seatbridge.accounts.models import Environment
from seatbridge.accounts.sources import DirectSources, open_direct_reader, require_allowed
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.config import Settings
from seatbridge.i18n import render
from seatbridge.jobs.work import sync_environment
from seatbridge.sync.models import SyncRun
from tests.api.seed import demo_company
from tests.api.world import ApiWorld, make_world
from tests.invitations.support import make_settings
from tests.support.factories import make_account

REFUSAL = "Ce serveur n'est pas autorisé à lire cette base Sage 100 directement"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A real TCP port that records whether anybody connected to it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    yield server
    server.close()


def nobody_connected(server: socket.socket) -> bool:
    try:
        server.accept()
    except BlockingIOError:
        return True
    return False


class TestSettings:
    def test_off_in_production_and_the_data_folder_in_the_demo(self, tmp_path: Path) -> None:
        production = DirectSources.from_settings(Settings(data_dir=tmp_path))
        assert not production.enabled
        demo = DirectSources.from_settings(Settings(data_dir=tmp_path, demo=True))
        assert demo.directories == (tmp_path.resolve(),) and not demo.exclusive

    def test_operators_write_folders_and_hosts(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("SEATBRIDGE_DIRECT_SOURCES", f"{tmp_path}, SQL01:1433 ,pg.lan")
        sources = DirectSources.from_settings(Settings())
        assert sources.directories == (tmp_path.resolve(),)
        assert sources.hosts == (("sql01", 1433), ("pg.lan", None)) and sources.exclusive
        monkeypatch.setenv("SEATBRIDGE_DIRECT_SOURCES", "off")
        assert not DirectSources.from_settings(Settings(demo=True)).enabled


class TestTheOneCheck:
    def test_what_an_allow_list_lets_through(self, tmp_path: Path) -> None:
        allowed = tmp_path / "sage"
        allowed.mkdir()
        (tmp_path / "other.db").write_bytes(b"")
        (allowed / "escape.db").symlink_to(tmp_path / "other.db")
        sources = DirectSources.parse([str(allowed), "sql01:1433", "pg.lan"])
        for ok in (
            f"sqlite:///{allowed}/bijou.db",
            str(allowed / "nord.db"),
            "mssql+pymssql://reader:pw@SQL01/BIJOU",
            "mssql+pymssql://reader:pw@sql01:1433/BIJOU?charset=utf8",
            "postgresql://u@pg.lan:6543/bijou",
        ):
            assert require_allowed(ok, sources)
        for refused in (
            f"sqlite:///{tmp_path}/other.db",
            f"sqlite:///{allowed}/../other.db",
            f"sqlite:///{allowed}/escape.db",  # a symbolic link out of the folder
            "sqlite:///relative.db",
            "sqlite://",
            f"sqlite:///file:{allowed}/x.db?mode=rw&uri=true",
            "mssql+pymssql://reader:pw@sql01:1434/BIJOU",
            "mssql+pymssql://reader:pw@sql02/BIJOU",
            "postgresql://u@pg.lan/bijou?host=10.0.0.9",
            "postgresql://u@/bijou?host=/var/run/postgresql",
            "nope://x/y",
            "postgresql://u@pg.lan:notaport/x",
            "",
            None,
        ):
            with pytest.raises(errors.SourceNotAllowed) as caught:
                require_allowed(refused, sources)
            assert str(caught.value).startswith(REFUSAL)
            assert caught.value.message("en").startswith("This server is not allowed")
        with pytest.raises(errors.SourceNotAllowed):
            require_allowed(f"sqlite:///{allowed}/bijou.db", DirectSources())

    def test_a_reader_is_never_opened_on_a_refused_source(self, listener: socket.socket) -> None:
        port = listener.getsockname()[1]
        with pytest.raises(errors.SourceNotAllowed):
            open_direct_reader(f"postgresql://u@127.0.0.1:{port}/x", DirectSources.parse(["db"]))
        assert nobody_connected(listener)


@pytest.fixture
def hosted(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[ApiWorld]:
    """A production-like server: direct reads allowed only below tmp_path/allowed."""
    (tmp_path / "allowed").mkdir()
    settings = make_settings(
        tmp_path,
        demo=False,
        secret_key=secrets.token_urlsafe(32),
        direct_sources=[str(tmp_path / "allowed")],
    )
    world = make_world(
        engine, sessions, tmp_path, companies=(), settings=settings, max_environments=3
    )
    with world.client:
        yield world


class TestThroughTheApi:
    def test_every_attack_gets_the_same_sentence_and_opens_nothing(
        self, hosted: ApiWorld, tmp_path: Path, listener: socket.socket
    ) -> None:
        victim = demo_company(tmp_path)  # another customer's company, outside the list
        (tmp_path / "notes.txt").write_text("not a database")
        port = listener.getsockname()[1]
        attacks = [
            f"sqlite:///{victim}",
            f"sqlite:///{tmp_path}/notes.txt",
            f"sqlite:///{tmp_path}/missing.db",
            f"sqlite:///{tmp_path}/allowed/../{victim.name}",
            "sqlite:////etc/passwd",
            f"postgresql://postgres@127.0.0.1:{port}/postgres",  # open
            "postgresql://postgres@127.0.0.1:1/postgres",  # closed
            "mssql+pymssql://sa:pw@10.255.255.1:1433/master",  # filtered
        ]
        answers = set()
        for number, url in enumerate(attacks):
            response = hosted.call(
                "POST", "/api/v1/environments", json={"name": f"X{number}", "source_url": url}
            )
            assert response.status_code == 422, (url, response.text)
            problem = response.json()
            answers.add((problem["code"], problem["detail"]))
        ((code, detail),) = answers  # one and the same answer, whatever the target
        assert code == "source_not_allowed" and detail.startswith(REFUSAL)
        assert nobody_connected(listener)
        english = hosted.call(
            "POST",
            "/api/v1/environments",
            json={"name": "EN", "source_url": attacks[0]},
            headers={"Accept-Language": "en"},
        )
        assert english.json()["detail"].startswith("This server is not allowed")
        with hosted.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Environment)) == 0

    def test_the_legitimate_company_connects_and_syncs_but_only_for_one_account(
        self, hosted: ApiWorld, tmp_path: Path
    ) -> None:
        company = demo_company(tmp_path / "allowed")
        created = hosted.call(
            "POST", "/api/v1/environments", json={"name": "BIJOU", "source_url": str(company)}
        )
        assert created.status_code == 201, created.text
        run = hosted.call("POST", f"/api/v1/environments/{created.json()['id']}/syncs")
        assert run.status_code == 201 and run.json()["status"] == "succeeded"
        # A connector environment needs no permission at all.
        pushed = hosted.call(
            "POST", "/api/v1/environments", json={"name": "SITE", "mode": "connector"}
        )
        assert pushed.status_code == 201
        with hosted.sessions.begin() as session:
            other = make_account(session)
            with pytest.raises(errors.SourceNotAllowed):
                accounts.add_environment(
                    session,
                    account_id=other.id,
                    name="BIJOU",
                    actor="t",
                    source_url=f"sqlite:///{company}",
                    sources=DirectSources.from_settings(hosted.settings),
                )

    def test_a_stored_source_no_longer_allowed_is_refused_at_sync_time(
        self, hosted: ApiWorld, tmp_path: Path
    ) -> None:
        company = demo_company(tmp_path / "allowed")
        created = hosted.call(
            "POST", "/api/v1/environments", json={"name": "BIJOU", "source_url": str(company)}
        )
        environment_id = created.json()["id"]
        moved = tmp_path / "elsewhere.db"
        shutil.move(company, moved)
        with hosted.sessions.begin() as session:  # e.g. written before the operator's change
            session.get_one(Environment, environment_id).source_url = f"sqlite:///{moved}"
        refused = hosted.call("POST", f"/api/v1/environments/{environment_id}/syncs")
        assert refused.status_code == 422 and refused.json()["code"] == "source_not_allowed"
        status = sync_environment(
            hosted.sessions,
            environment_id=environment_id,
            owner="test",
            settings=hosted.settings,
            clock=SYSTEM_CLOCK,
        )
        with hosted.sessions() as session:
            environment = session.get_one(Environment, environment_id)
            assert status == "failed" and environment.last_sync_error
            stored = str(render(environment.last_sync_error, "fr"))  # stored as a Text
            assert stored.startswith(REFUSAL) and "elsewhere" not in stored
            assert session.scalar(select(func.count()).select_from(SyncRun)) == 0
        assert os.path.exists(moved)
