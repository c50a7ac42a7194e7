"""A web app on the test store, with a fixed clock and a TestClient that keeps cookies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.clock import FixedClock
from seatbridge.config import Settings
from seatbridge.mail import deliver_outbox
from seatbridge.mail.mailbox import MailboxTransport, mailbox_dir
from seatbridge.web import create_app
from tests.invitations.support import make_settings
from tests.support.factories import clock


@dataclass
class Web:
    app: FastAPI
    client: TestClient
    settings: Settings
    clock: FixedClock
    sessions: sessionmaker[Session]

    def page(self, path: str, **options: object) -> tuple[Response, BeautifulSoup]:
        response = self.client.get(path, follow_redirects=False, **options)  # type: ignore[arg-type]
        return response, BeautifulSoup(response.text, "html.parser")

    def csrf(self, path: str = "/auth/sign-in") -> str:
        _, html = self.page(path)
        field = html.find("input", attrs={"name": "csrf_token"})
        assert field is not None
        return str(field["value"])

    def post(self, path: str, data: dict[str, str], *, csrf_from: str | None = None) -> Response:
        form = {"csrf_token": self.csrf(csrf_from or path)} | data
        return self.client.post(path, data=form, follow_redirects=False)

    def deliver_mail(self) -> MailboxTransport:
        mailbox = MailboxTransport(mailbox_dir(self.settings), self.settings.smtp.sender)
        deliver_outbox(self.sessions, mailbox, self.clock)
        return mailbox


def make_web(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, **options: object
) -> Web:
    settings = make_settings(tmp_path, **options)
    now = clock()
    app = create_app(settings, engine=engine, clock=now)
    client = TestClient(app, raise_server_exceptions=False)
    return Web(app=app, client=client, settings=settings, clock=now, sessions=sessions)


@pytest.fixture
def web(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[Web]:
    made = make_web(engine, sessions, tmp_path)
    with made.client:
        yield made


def text_of(html: BeautifulSoup) -> str:
    return " ".join(html.get_text(" ").split())
