"""The product in a real browser: the whole activation, the seat limit, a review case, Starter's
Administration with "Ajouter des licences", and the English switch. Each saves screenshots
under test-results/<test name>/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from seatbridge.commerce.queries import portfolio
from seatbridge.commerce.scope import Viewer
from seatbridge.directory.models import User, UserStatus
from seatbridge.directory.service import NewUser
from tests.e2e.conftest import Server, Shots, sign_in
from tests.support.people import create_user
from tests.webui import seed

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
COMPANY_A = "sage100-bijou.db"


def advanced_account(server: Server, name: str, email: str, seats: int = 10) -> tuple[int, int]:
    """An activated advanced account with BIJOU synced; returns (account id, environment id)."""
    account_id, _ = seed.new_account(
        server.sessions, server.settings, server.clock, name=name, admin_email=email
    )
    seed.activate(
        server.sessions, server.clock, account_id, seed.code_for(server.clock, seats=seats)
    )
    environment_id = seed.connect(
        server.sessions,
        server.clock,
        account_id,
        "BIJOU",
        Path(server.settings.data_dir) / COMPANY_A,
    )
    return account_id, environment_id


def invited_emails(server: Server, account_id: int) -> list[str]:
    with server.sessions() as session:
        return list(
            session.scalars(
                select(User.email)
                .where(User.account_id == account_id, User.status == UserStatus.INVITED.value)
                .order_by(User.id)
            )
        )


def customers_of(server: Server, account_id: int, email: str) -> int:
    """How many customers the account's user with this e-mail has in their portfolio."""
    with server.sessions() as session:
        user = session.scalars(
            select(User).where(User.account_id == account_id, User.email == email)
        ).one()
        viewer = Viewer.rep(account_id, user.id)
        return portfolio(session, viewer=viewer).total


def test_a_whole_activation_then_a_rep_reads_their_portfolio(
    server: Server, page: Page, shots: Shots
) -> None:
    account_id, admin = seed.new_account(
        server.sessions, server.settings, server.clock, name="Parcours A",
        admin_email="gerant.a@bijou-sa.fr",
    )  # fmt: skip
    sign_in(page, server, admin.email)
    expect(page).to_have_url(re.compile(r"/activation/code$"))
    page.get_by_label("Code d'activation").fill(seed.code_for(server.clock))
    shots.take("1-code")
    page.get_by_role("button", name="Valider le code").click()
    expect(page.get_by_role("heading", name="Connectez vos sociétés Sage 100")).to_be_visible()
    page.get_by_role("button", name="Tester la connexion").nth(1).click()
    expect(page.get_by_text("Connexion réussie.")).to_be_visible()
    page.get_by_role("button", name="Connecter BIJOU", exact=True).click()
    expect(page.get_by_text("Société connectée.")).to_be_visible()
    shots.take("2-companies")
    page.get_by_role("button", name="Lancer la première synchronisation").click()
    expect(page.get_by_role("heading", name="Première synchronisation")).to_be_visible()
    choose = page.get_by_role("link", name="Choisir les collaborateurs à inviter")
    expect(choose).to_be_visible()  # the progress fragment polled until the sync ended
    shots.take("3-synced")
    choose.click()
    ticked = page.locator("input[name=pick]:checked")
    expect(ticked.first).to_be_visible()
    while ticked.count() > 3:
        ticked.last.uncheck()
    expect(page.locator("[data-seat-count]")).to_have_text("4")
    shots.take("4-choose")
    page.get_by_role("button", name="Vérifier la sélection").click()
    expect(page.get_by_text("Licences après l'envoi : 4 / 10")).to_be_visible()
    shots.take("5-confirm")
    page.get_by_role("button", name="Envoyer les invitations").click()
    expect(page.get_by_role("heading", name="Votre compte est activé")).to_be_visible()
    shots.take("6-done")

    # The customers and documents came with the wizard's sync: follow a rep who has customers.
    rep_email = next(
        e for e in invited_emails(server, account_id) if customers_of(server, account_id, e)
    )
    link = server.link_for(rep_email)
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_label("Nouveau mot de passe").fill(seed.PASSWORD)
    page.get_by_label("Confirmer le mot de passe").fill(seed.PASSWORD)
    shots.take("7-set-password")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page).to_have_url(server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon portefeuille")
    customers = page.locator("table.customers tbody tr")
    expect(customers).to_have_count(customers_of(server, account_id, rep_email))
    expect(page.get_by_role("img", name=re.compile("^Ventes nettes par mois"))).to_be_visible()
    expect(page.locator("svg rect.chart-column")).to_have_count(12)
    shots.take("8-portfolio")
    page.set_viewport_size({"width": 390, "height": 844})
    shots.take("9-portfolio-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})
    first = customers.first.get_by_role("link")
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("table.documents tbody tr").first).to_be_visible()
    shots.take("10-customer")


def test_b_the_seat_limit_in_the_wizard_and_in_the_admin(
    server: Server, page: Page, shots: Shots
) -> None:
    account_id, admin = seed.new_account(
        server.sessions, server.settings, server.clock, name="Parcours B",
        admin_email="gerant.b@bijou-sa.fr",
    )  # fmt: skip
    seed.activate(server.sessions, server.clock, account_id, seed.code_for(server.clock, seats=4))
    sign_in(page, server, admin.email)
    page.goto(server.url + "/activation/companies")
    page.get_by_role("button", name="Connecter BIJOU", exact=True).click()
    page.get_by_role("button", name="Connecter BIJOU-NORD", exact=True).click()
    page.get_by_role("button", name="Lancer la première synchronisation").click()
    page.get_by_role("link", name="Choisir les collaborateurs à inviter").click()
    # 4 licences, the admin holds one: 3 are ticked, every other box is locked.
    expect(page.locator("[data-seat-count]")).to_have_text("4")
    expect(page.get_by_text("toutes les licences sont attribuées")).to_be_visible()
    unticked = page.locator("input[name=pick]:not(:checked)").first
    expect(unticked).to_be_disabled()
    shots.take("1-wizard-full")
    page.locator("input[name=pick]:checked").first.uncheck()
    expect(unticked).to_be_enabled()
    expect(page.locator("[data-seat-count]")).to_have_text("3")
    page.locator("fieldset.company").nth(1).locator("input[name=pick]").first.check()
    expect(page.locator("[data-seat-count]")).to_have_text("4")
    page.get_by_role("button", name="Vérifier la sélection").click()
    page.get_by_role("button", name="Envoyer les invitations").click()
    expect(page.get_by_text("4 licences utilisées sur 4")).to_be_visible()
    page.goto(server.url + "/admin/users")
    expect(page.get_by_role("link", name="Ajouter des licences")).to_be_visible()
    expect(page.get_by_role("link", name="Inviter des membres")).to_have_count(0)
    shots.take("2-admin-full")
    page.goto(server.url + "/admin/invite")
    expect(page.get_by_text("Aucune licence n'est libre pour une invitation.")).to_be_visible()
    expect(page.locator("input[name=pick]").first).to_be_disabled()
    shots.take("3-invite-full")


def test_c_a_review_case_resolved_from_the_queue(server: Server, page: Page, shots: Shots) -> None:
    account_id, _ = advanced_account(server, "Parcours C", "gerant.c@bijou-sa.fr")
    with server.sessions.begin() as session:
        creation = create_user(
            session,
            account_id=account_id,
            person=NewUser(email="c.charpentier@gmail.com", first_name="Christine",
                           last_name="Charpentier"),
            actor="gerant.c@bijou-sa.fr",
            clock=server.clock,
        )  # fmt: skip
        assert creation.case is not None and creation.case.candidates
        best = creation.case.candidates[0]["name"]
    sign_in(page, server, "gerant.c@bijou-sa.fr")
    page.goto(server.url + "/admin/reviews")
    case = page.locator("article.case", has_text="Aucun collaborateur ne correspond")
    expect(case).to_be_visible()
    first = case.locator("table.candidates tbody tr").first
    expect(first).to_contain_text(best)
    shots.take("1-queue")
    first.get_by_role("button").click()
    expect(page.get_by_text("Vérification réglée.")).to_be_visible()
    expect(case).to_have_count(0)
    shots.take("2-resolved")
    with server.sessions() as session:
        user = session.get_one(User, creation.user.id)
        assert user.status == UserStatus.INVITED.value


def test_d_starter_administration_and_adding_licences(
    server: Server, page: Page, shots: Shots
) -> None:
    account_id, _ = seed.new_account(
        server.sessions, server.settings, server.clock, name="Parcours D",
        admin_email="gerant.d@bijou-sa.fr",
    )  # fmt: skip
    clock = server.clock
    seed.activate(
        server.sessions, clock, account_id, seed.code_for(clock, edition="starter", seats=2)
    )
    environment_id = seed.connect(
        server.sessions, clock, account_id, "BIJOU", Path(server.settings.data_dir) / COMPANY_A
    )
    seed.invite(
        server.sessions, clock, environment_id, seed.invitable(server.sessions, environment_id, 1)
    )
    sign_in(page, server, "gerant.d@bijou-sa.fr")
    expect(page).to_have_url(server.url + "/administration")
    expect(page.get_by_role("heading", name="Gestion des utilisateurs")).to_be_visible()
    expect(page.get_by_text("2 licences utilisées sur 2")).to_be_visible()
    shots.take("1-full")
    page.get_by_role("link", name="Ajouter des licences").click()
    page.get_by_label("Nouveau code d'activation").fill(
        seed.code_for(clock, edition="starter", seats=5)
    )
    page.get_by_role("button", name="Appliquer le code").click()
    expect(page.get_by_text("Nouveau code d'activation appliqué.")).to_be_visible()
    expect(page.get_by_text("2 licences utilisées sur 5")).to_be_visible()
    shots.take("2-more-licences")
    page.get_by_role("link", name="Inviter des membres").click()
    page.get_by_role("textbox", name="Adresse e-mail").fill("julie.prevost@bijou-sa.fr")
    page.get_by_role("button", name="Inviter", exact=True).click()
    expect(
        page.get_by_text("Utilisateur lié à son collaborateur Sage 100 et invité.")
    ).to_be_visible()
    expect(page.get_by_text("3 licences utilisées sur 5")).to_be_visible()
    shots.take("3-invited")
    row = page.locator("tr", has_text="julie.prevost@bijou-sa.fr")
    row.get_by_role("button", name="Annuler l'invitation").click()
    expect(page.get_by_text("Invitation annulée : la licence est libérée.")).to_be_visible()
    expect(page.get_by_text("2 licences utilisées sur 5")).to_be_visible()


def test_e_the_english_switch(server: Server, page: Page, shots: Shots) -> None:
    advanced_account(server, "Parcours E", "gerant.e@bijou-sa.fr")
    with server.sessions.begin() as session:
        from seatbridge.accounts.service import get_account
        from seatbridge.directory.service import find_user_by_email
        from seatbridge.web.wizard.progress import mark_finished

        account = get_account(session, "parcours-e")
        mark_finished(session, account_id=account.id, actor="test", invited=0)
        assert find_user_by_email(session, account_id=account.id, email="gerant.e@bijou-sa.fr")
    sign_in(page, server, "gerant.e@bijou-sa.fr")
    expect(page.get_by_role("heading", name="Espace de travail")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Workspace")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Users")).to_be_visible()
    shots.take("1-workspace-en")
    page.goto(server.url + "/admin/users")
    expect(page.get_by_text(re.compile(r"used of 10"))).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    shots.take("2-users-en-narrow")
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", name="Utilisateurs")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
