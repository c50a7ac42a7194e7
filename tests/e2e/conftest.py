"""Browser journeys: the real app under uvicorn on 127.0.0.1 (a free port, a fresh SQLite store
per module) driven by Debian's Chromium through Playwright. No browser is ever downloaded."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import BrowserContext, Page, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.clock import SYSTEM_CLOCK, SystemClock
from seatbridge.config import Settings
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.db.migrate import upgrade
from seatbridge.mail.mailbox import MailboxTransport, mailbox_dir
from seatbridge.mail.pump import OutboxPump
from seatbridge.sage100.demo import make_demo_company
from seatbridge.web import create_app
from seatbridge.web.admin.sync_jobs import sync_jobs
from tests.invitations.support import make_settings
from tests.support.smtp import free_port
from tests.webui import seed

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SMALL = {"collaborators": 20, "customers": 30, "documents": 200}
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: a journey in a real headless Chromium")


@dataclass
class Server:
    url: str
    settings: Settings
    sessions: sessionmaker[Session]
    clock: SystemClock

    def mailbox(self) -> MailboxTransport:
        return MailboxTransport(mailbox_dir(self.settings), self.settings.smtp.sender)

    def link_for(self, recipient: str, timeout: float = 15.0) -> str:
        """The set-password link of the newest e-mail to `recipient` in the demo mailbox folder."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            box = self.mailbox()
            for entry in box.list_messages():
                if entry.recipient.lower() == recipient.lower():
                    message = box.read(entry.name)
                    body = message.get_body(preferencelist=("plain",)) if message else None
                    found = re.search(
                        r"https?://\S+/auth/set-password/\S+", body.get_content() if body else ""
                    )
                    if found:
                        return found.group(0)
            time.sleep(0.2)
        raise AssertionError(f"no e-mail to {recipient} in {mailbox_dir(self.settings)}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("e2e")
    # The demo's generated companies: the wizard offers the sage100-*.db files of the data folder.
    make_demo_company(str(folder / "sage100-bijou.db"), company="BIJOU", seed=1, **SMALL)
    make_demo_company(
        str(folder / "sage100-bijou-nord.db"), company="BIJOU-NORD", seed=2, schema="older", **SMALL
    )
    port = free_port()
    settings = make_settings(
        folder,
        base_url=f"http://127.0.0.1:{port}",
        license_public_keys=[seed.VENDOR_KEY.public_key_line()],
    )
    engine = create_store_engine(settings.database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    app = create_app(settings, engine=engine, clock=SYSTEM_CLOCK)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    web = uvicorn.Server(config)
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    pump = OutboxPump(sessions, MailboxTransport(mailbox_dir(settings), settings.smtp.sender),
                      SYSTEM_CLOCK, interval_seconds=0.2)  # fmt: skip
    pump.start()
    deadline = time.monotonic() + 15
    while not web.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert web.started, "uvicorn did not start"
    try:
        yield Server(f"http://127.0.0.1:{port}", settings, sessions, SYSTEM_CLOCK)
    finally:
        sync_jobs(app).wait(timeout=30)
        pump.stop()
        web.should_exit = True
        thread.join(15)
        engine.dispose()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=LAUNCH_ARGS,
            viewport={"width": 1280, "height": 900},
            locale="fr-FR",
        )
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Iterator[Page]:
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    try:
        yield tab
    finally:
        tab.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest, page: Page) -> Iterator[Shots]:
    folder = RESULTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    yield Shots(page, folder)


@dataclass
class Shots:
    page: Page
    folder: Path
    count: int = 0

    def take(self, name: str, *, full_page: bool = True) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def sign_in(page: Page, server: Server, email: str, password: str = seed.PASSWORD) -> None:
    page.goto(server.url + "/auth/sign-in")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
