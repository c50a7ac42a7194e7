"""Issue 19's journeys in a real browser, each step saved in French and English at 1280 and
390 px (test-results/<test name>/) and checked with axe-core: the wizard with a realistic pause
before its first sync (the scheduler running meanwhile), "Tout cocher" and a bulk action with the
keyboard alone, a shared-e-mail case settled by "Lier", a Starter downgrade confirmed after its
recap, and the audit log's date filter with its CSV."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from seatbridge.accounts.models import Account
from seatbridge.jobs.embedded import EmbeddedScheduler
from seatbridge.sync.models import ReviewCase, SyncRun
from tests.e2e.conftest import Server, Shots, sign_in
from tests.e2e.test_pages import NARROW, WIDE, set_language, violations
from tests.webui import seed

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
COMPANY_A, COMPANY_B = "sage100-bijou.db", "sage100-bijou-nord.db"


def step(page: Page, server: Server, shots: Shots, name: str, *, english: bool = True) -> None:
    """Screenshots of the page as it is, in French at 1280 and 390 px, then (for a page reached
    by GET, which a reload shows again) in English at both widths; axe-core on each language."""
    problems: list[str] = []
    for language in ("fr", "en") if english else ("fr",):
        if language == "en":
            set_language(page, server, "en")
            page.reload()
        for size in (WIDE, NARROW):
            page.set_viewport_size(size)
            shots.take(f"{name}-{language}-{size['width']}")
        problems += [f"{language} {name}: {v}" for v in violations(page)]
        page.set_viewport_size(WIDE)
    if english:
        set_language(page, server, "fr")
        page.reload()
    assert problems == []


def advanced_account(server: Server, name: str, email: str, *companies: str) -> int:
    account_id, _ = seed.new_account(
        server.sessions, server.settings, server.clock, name=name, admin_email=email
    )
    seed.activate(server.sessions, server.clock, account_id, seed.code_for(server.clock))
    for company in companies:
        seed.connect(
            server.sessions,
            server.clock,
            account_id,
            company.removeprefix("sage100-").removesuffix(".db").upper(),
            Path(server.settings.data_dir) / company,
        )
    return account_id


def test_wizard_with_a_pause_before_the_first_sync(
    server: Server, page: Page, shots: Shots
) -> None:
    account_id, admin = seed.new_account(
        server.sessions, server.settings, server.clock, name="Pause",
        admin_email="gerant.pause@bijou-sa.fr",
    )  # fmt: skip
    scheduler = EmbeddedScheduler(server.sessions, settings=server.settings, clock=server.clock)
    sign_in(page, server, admin.email)
    expect(page).to_have_url(re.compile(r"/activation/code$"))
    step(page, server, shots, "1-code")
    code = page.get_by_label("Code d'activation")
    code.focus()
    page.keyboard.insert_text(seed.code_for(server.clock))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the form's only button: "Valider le code"
    expect(page.get_by_role("heading", name="Connectez vos sociétés Sage 100")).to_be_visible()
    page.get_by_role("button", name="Connecter BIJOU", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Société connectée.")).to_be_visible()
    step(page, server, shots, "2-companies")
    # The admin reads the page, answers the phone...: the scheduler ticks meanwhile and must
    # leave the company alone until its first sync is started here.
    for _ in range(3):
        assert scheduler.tick()["synced"] == 0
        page.wait_for_timeout(1000)
    page.get_by_role("button", name="Lancer la première synchronisation").focus()
    page.keyboard.press("Enter")
    choose = page.get_by_role("link", name="Choisir les collaborateurs à inviter")
    expect(choose).to_be_visible(timeout=60_000)
    with sqlite3.connect(Path(server.settings.data_dir) / COMPANY_A) as sage:
        people = sage.execute("SELECT COUNT(*) FROM F_COLLABORATEUR").fetchone()[0]
    expect(page.get_by_text(f"{people} collaborateurs lus")).to_be_visible()
    with server.sessions() as session:
        actors = session.scalars(
            select(SyncRun.actor).where(SyncRun.account_id == account_id)
        ).all()
    assert actors == [admin.email]  # one run, the one the wizard shows
    step(page, server, shots, "3-first-sync")
    choose.focus()
    page.keyboard.press("Enter")
    ticked = page.locator("input[name=pick]:checked")
    expect(ticked.first).to_be_visible()
    step(page, server, shots, "4-choose")  # the default choice (a reload shows it again)
    while ticked.count() > 2:
        ticked.last.focus()
        page.keyboard.press("Space")  # a checkbox unticked with the keyboard
    expect(page.locator("[data-seat-count]")).to_have_text("3")
    page.get_by_role("button", name="Vérifier la sélection").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Licences après l'envoi : 3 / 10")).to_be_visible()
    step(page, server, shots, "5-confirm", english=False)  # a POST's answer: not reloaded
    page.get_by_role("button", name="Envoyer les invitations").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Votre compte est activé")).to_be_visible()
    step(page, server, shots, "6-done")


def test_tout_cocher_and_a_bulk_action_with_the_keyboard(
    server: Server, page: Page, shots: Shots
) -> None:
    account_id = advanced_account(server, "Cocher", "gerant.cocher@bijou-sa.fr", COMPANY_A)
    with server.sessions() as session:
        environment_id = session.scalar(
            select(SyncRun.environment_id).where(SyncRun.account_id == account_id)
        )
    seed.invite(
        server.sessions,
        server.clock,
        environment_id,
        seed.invitable(server.sessions, environment_id, 4),
    )
    sign_in(page, server, "gerant.cocher@bijou-sa.fr")
    page.goto(server.url + "/admin/users")
    boxes = page.locator("input[name=user_id]")
    expect(boxes).to_have_count(5)
    everyone = page.get_by_label("Tout cocher")
    everyone.focus()
    page.keyboard.press("Space")
    for index in range(5):
        expect(boxes.nth(index)).to_be_checked()
    boxes.first.focus()
    page.keyboard.press("Space")  # one less: the "Tout cocher" box shows a mixed state
    assert everyone.evaluate("box => box.indeterminate")
    page.keyboard.press("Space")
    expect(everyone).to_be_checked()
    step(page, server, shots, "1-all-ticked", english=False)  # a reload would untick them
    page.get_by_label("Pour les utilisateurs cochés").select_option("password")
    page.get_by_role("button", name="Appliquer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("5 liens de mot de passe envoyés.")).to_be_visible()
    step(page, server, shots, "2-done")


def test_a_shared_address_settled_by_lier(server: Server, page: Page, shots: Shots) -> None:
    account_id = advanced_account(server, "Partage", "gerant.partage@bijou-sa.fr", COMPANY_A)
    with server.sessions() as session:
        case = session.scalars(
            select(ReviewCase).where(
                ReviewCase.account_id == account_id, ReviewCase.kind == "shared_email"
            )
        ).one()
    sign_in(page, server, "gerant.partage@bijou-sa.fr")
    page.goto(server.url + "/admin/reviews")
    article = page.locator("article.case", has_text="Adresse partagée dans Sage 100")
    rows = article.locator("table.candidates tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("exactement la même adresse e-mail")
    expect(rows.first).to_contain_text("100 %")
    step(page, server, shots, "1-case")
    name = rows.first.locator("td").first.inner_text().split(" n°")[0]
    rows.first.get_by_role("button", name=f"Lier à {name}").click()
    expect(page.get_by_text("Vérification réglée.")).to_be_visible()
    expect(article).to_have_count(0)
    step(page, server, shots, "2-settled")
    assert server.link_for(case.email_normalized or "")  # the chosen person got their e-mail
    page.goto(server.url + "/admin/users")
    expect(page.locator("table.users")).to_contain_text(case.email_normalized or "")


def test_a_starter_downgrade_is_confirmed_after_its_recap(
    server: Server, page: Page, shots: Shots
) -> None:
    account_id = advanced_account(
        server, "Retour", "gerant.retour@bijou-sa.fr", COMPANY_A, COMPANY_B
    )
    sign_in(page, server, "gerant.retour@bijou-sa.fr")
    page.goto(server.url + "/admin/licences")
    step(page, server, shots, "1-licences")
    page.get_by_label("Nouveau code d'activation").fill(
        seed.code_for(server.clock, edition="starter", seats=5)
    )
    page.get_by_role("button", name="Appliquer le code").click()
    expect(page.get_by_role("heading", name="Confirmer le nouveau code")).to_be_visible()
    expect(page.get_by_text("Le compte passe en édition Starter")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"BIJOU-NORD dépasse ce que ce code autorise"))
    ).to_be_visible()
    step(page, server, shots, "2-confirm", english=False)
    with server.sessions() as session:
        assert session.get_one(Account, account_id).edition == "advanced"
    page.get_by_role("button", name="Appliquer ce code").click()
    expect(page).to_have_url(re.compile(r"/administration\?done=code$"))
    expect(page.get_by_text("Édition : Starter")).to_be_visible()
    expect(page.get_by_text("1 société autorisée")).to_be_visible()
    step(page, server, shots, "3-recap")
    with server.sessions() as session:
        assert session.get_one(Account, account_id).edition == "starter"


def test_the_audit_date_filter_and_its_csv(server: Server, page: Page, shots: Shots) -> None:
    advanced_account(server, "Journal", "gerant.journal@bijou-sa.fr", COMPANY_A)
    sign_in(page, server, "gerant.journal@bijou-sa.fr")
    today = server.clock.today()
    page.goto(server.url + "/admin/audit")
    page.get_by_label("Du", exact=True).fill(today.isoformat())
    page.get_by_label("Au", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"since=" + today.isoformat()))
    rows = page.locator("table.audit tbody tr:has(time)")
    expect(rows.first).to_be_visible()
    shown = rows.count()
    assert shown > 0
    step(page, server, shots, "1-filtered")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV")).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text[:200] else ","))
    assert len(lines) - 1 >= shown  # the same filters: today's events, every page of them
