"""`seatbridge demo`: the one-command tour, from a fresh clone to the browser.

It generates two Sage 100 companies, a vendor signing key (kept in the data folder, never
committed; its public key is the one the demo server trusts) and a 10-seat advanced activation
code, creates the account "Bijou SA" with its first admin (a known password, demo only), then
serves the product on http://127.0.0.1:8000 with the e-mails written to the demo mailbox. The
admin signs in and goes through the activation wizard with the printed code. Running it again
reuses all of this; `--fresh` starts over.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import typer
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts import service as accounts
from seatbridge.accounts.errors import AccountNotFound
from seatbridge.auth.passwords import Passwords
from seatbridge.cli.common import domain_errors, say, stdout, tell
from seatbridge.clock import SYSTEM_CLOCK
from seatbridge.config import Settings
from seatbridge.db import migrate
from seatbridge.db.engine import create_store_engine, session_factory
from seatbridge.directory import service as directory
from seatbridge.directory.emails import check_email
from seatbridge.i18n import _
from seatbridge.invitations.models import TokenPurpose
from seatbridge.invitations.service import consume
from seatbridge.invitations.tokens import issue_token
from seatbridge.licensing import (
    KeyRing,
    VendorSigningKey,
    generate_signing_key,
    issue_code,
    load_signing_key,
    read_code,
    save_signing_key,
)
from seatbridge.sage100.reader import Sage100Reader
from seatbridge.sage100.records import Collaborator, Entity

# Two companies, as in the seed's multi-company example; the second uses the older Sage schema.
DEMO_COMPANIES = (
    ("BIJOU", "recent", 1),
    ("BIJOU-NORD", "older", 2),
)
ACCOUNT_NAME = "Bijou SA"
ACCOUNT_SLUG = "bijou-sa"
# Demo only: printed on screen so that anyone can sign in. Never a real installation's.
ADMIN_PASSWORD = "Saphir-Emeraude-Rubis"  # noqa: S105 (demo only, printed on screen)
SEATS = 10
ENVIRONMENTS = 3
VALIDITY = dt.timedelta(days=365)
KEY_ID = "demo"
KEY_FILE = "vendor-signing-key.pem"
PUBLIC_KEYS_FILE = "vendor-public-keys.txt"
CODE_FILE = "activation-code.txt"
STORE_FILE = "seatbridge.db"


@dataclass(frozen=True)
class DemoSetup:
    settings: Settings
    admin_email: str
    admin_password: str
    code: str
    companies: tuple[str, ...]


def demo(
    data_dir: Path = typer.Option(Path("var/demo"), help="Where the demo keeps its files."),
    fresh: bool = typer.Option(False, "--fresh", help="Start over: erase the demo's files."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Prepare the demo (companies, vendor key, code, account, admin) and serve it."""
    with domain_errors():
        setup = prepare(data_dir, fresh=fresh, base_url=f"http://{host}:{port}")
    print_banner(setup)
    serve(setup.settings, host=host, port=port)


def prepare(data_dir: Path, *, fresh: bool, base_url: str) -> DemoSetup:
    """Make (or reuse) everything the tour needs; returns what to print."""
    if fresh:
        erase(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    companies = tuple(make_companies(data_dir))
    key = vendor_key(data_dir)
    settings = Settings(
        demo=True,
        data_dir=data_dir,
        database_url=f"sqlite:///{(data_dir / STORE_FILE).as_posix()}",
        base_url=base_url,
        license_public_keys_file=data_dir / PUBLIC_KEYS_FILE,
    )
    code = activation_code(data_dir, key, KeyRing.from_settings(settings))
    engine = create_store_engine(settings.database_url)
    try:
        migrate.upgrade(engine)
        email = admin_of(session_factory(engine), settings, companies[0])
    finally:
        engine.dispose()
    names = tuple(company for company, _, _ in DEMO_COMPANIES)
    return DemoSetup(settings, email, ADMIN_PASSWORD, code, names)


def erase(data_dir: Path) -> None:
    """Remove what the demo made (only its own files, never the rest of the folder)."""
    names = [KEY_FILE, PUBLIC_KEYS_FILE, CODE_FILE]
    names += [f"{STORE_FILE}{suffix}" for suffix in ("", "-wal", "-shm")]
    names += [company_file(data_dir, company).name for company, _, _ in DEMO_COMPANIES]
    for name in names:
        (data_dir / name).unlink(missing_ok=True)
    shutil.rmtree(data_dir / "mailbox", ignore_errors=True)


def company_file(data_dir: Path, company: str) -> Path:
    # The wizard offers the files named like this (seatbridge.web.wizard.companies).
    return data_dir / f"sage100-{company.lower()}.db"


def make_companies(data_dir: Path) -> list[Path]:
    from seatbridge.sage100.demo import make_demo_company

    made = []
    for company, schema, seed in DEMO_COMPANIES:
        path = company_file(data_dir, company)
        if path.exists():
            tell(_("Société Sage 100 {company} : {path} (conservée)", company=company, path=path))
        else:
            summary = make_demo_company(
                f"sqlite:///{path}", company=company, seed=seed, schema=schema, replace=True
            )
            tell(
                _(
                    "Société Sage 100 {company} (schéma {schema}) : {collaborators} "
                    "collaborateurs, {customers} clients, {documents} documents",
                    company=company,
                    schema=schema,
                    collaborators=summary.collaborators,
                    customers=summary.customers,
                    documents=summary.documents,
                )
            )
        made.append(path)
    return made


def vendor_key(data_dir: Path) -> VendorSigningKey:
    """The demo's own vendor key: the private half stays here, the public half is trusted."""
    path = data_dir / KEY_FILE
    if path.exists():
        key = load_signing_key(path)
    else:
        key = generate_signing_key(KEY_ID)
        save_signing_key(key, path)
        (data_dir / CODE_FILE).unlink(missing_ok=True)  # a code of an older key cannot verify
    (data_dir / PUBLIC_KEYS_FILE).write_text(
        "# The vendor key of this demo (seatbridge demo); trusted by the demo server only.\n"
        + key.public_key_line()
        + "\n",
        encoding="utf-8",
    )
    return key


def activation_code(data_dir: Path, key: VendorSigningKey, keyring: KeyRing) -> str:
    """The 10-seat advanced code the admin pastes in the wizard (made once, then reused)."""
    path = data_dir / CODE_FILE
    today = SYSTEM_CLOCK.today()
    if path.exists():
        code = path.read_text(encoding="utf-8").strip()
        if read_code(code, keyring).expires_on >= today:
            return code
    code = issue_code(
        key,
        customer=ACCOUNT_NAME,
        edition="advanced",
        seats=SEATS,
        max_environments=ENVIRONMENTS,
        issued_on=today,
        expires_on=today + VALIDITY,
    )
    path.write_text(code + "\n", encoding="utf-8")
    return code


def admin_of(sessions: sessionmaker[Session], settings: Settings, company: Path) -> str:
    """The account and its first admin: the company's manager, the first collaborator of
    BIJOU with a valid e-mail (so the first sync links the admin to their collaborator)."""
    manager = first_reachable_collaborator(company)
    email = (manager.CO_EMail or "").strip()
    with sessions.begin() as session:
        try:
            account = accounts.get_account(session, ACCOUNT_SLUG)
        except AccountNotFound:
            account = accounts.create_account(
                session, name=ACCOUNT_NAME, slug=ACCOUNT_SLUG, actor="demo"
            )
        if directory.find_user_by_email(session, account_id=account.id, email=email) is None:
            owner = directory.create_owner(
                session,
                account_id=account.id,
                person=directory.NewUser(
                    email=email, first_name=manager.CO_Prenom, last_name=manager.CO_Nom
                ),
                actor="demo",
                clock=SYSTEM_CLOCK,
            )
            # Demo only: the admin's password is set here instead of through the welcome e-mail.
            raw_token, _ = issue_token(
                session,
                user=owner,
                purpose=TokenPurpose.INVITE,
                actor="demo",
                clock=SYSTEM_CLOCK,
                settings=settings,
            )
            consume(
                session,
                raw_token=raw_token,
                password=ADMIN_PASSWORD,
                clock=SYSTEM_CLOCK,
                settings=settings,
                passwords=Passwords(settings.auth),
            )
    return email


def first_reachable_collaborator(company: Path) -> Collaborator:
    with Sage100Reader(f"sqlite:///{company}") as reader:
        for row in reader.read(Entity.COLLABORATORS):
            collaborator: Collaborator = row  # type: ignore[assignment]
            if check_email(collaborator.CO_EMail).ok:
                return collaborator
    raise typer.BadParameter(f"{company} has no collaborator with a valid e-mail")


def print_banner(setup: DemoSetup) -> None:
    base = setup.settings.base_url
    tell("")
    tell(
        _(
            "Démo seatbridge — les sociétés Sage 100 {companies} sont prêtes ; le compte "
            "{account} attend son activation.",
            companies=", ".join(setup.companies),
            account=ACCOUNT_NAME,
        )
    )
    tell("")
    labels = {
        "open": say(_("Ouvrir")),
        "email": say(_("E-mail admin")),
        "password": say(_("Mot de passe admin")),
        "mailbox": say(_("Boîte de démo")),
    }
    width = max(len(label) for label in labels.values()) + 2
    tell(f"  {labels['open']:<{width}}{base}/")
    tell(f"  {labels['email']:<{width}}{setup.admin_email}")
    tell(f"  {labels['password']:<{width}}{setup.admin_password}")
    tell("  " + say(_("Code d'activation (à coller à l'étape 1 de l'assistant) :")))
    stdout.print(f"    {setup.code}", highlight=False, soft_wrap=True)
    mailbox = _("(les e-mails de bienvenue, liens cliquables)")
    tell(f"  {labels['mailbox']:<{width}}{base}/mailbox  {say(mailbox)}")
    tell("")
    tell(
        "  "
        + say(
            _(
                "Visite : connectez les deux sociétés, synchronisez, invitez 6 personnes de BIJOU "
                "(l'admin est la 7e licence), puis seules 3 tiennent de BIJOU-NORD. README.md, "
                "section Demo, donne la suite."
            )
        )
    )
    tell("")


def serve(settings: Settings, *, host: str, port: int) -> None:
    """The product with its embedded background jobs (syncs, e-mails); Ctrl-C stops it."""
    import uvicorn

    from seatbridge.jobs.embedded import EmbeddedScheduler
    from seatbridge.web import create_app
    from seatbridge.web.admin.sync_jobs import sync_jobs

    engine = create_store_engine(settings.database_url)
    sessions = session_factory(engine)
    app = create_app(settings, engine=engine, clock=SYSTEM_CLOCK)
    scheduler = EmbeddedScheduler(sessions, settings=settings, clock=SYSTEM_CLOCK)
    scheduler.start()
    tell(_("Démo seatbridge sur {url}/  (Ctrl+C pour arrêter)", url=settings.base_url))
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        scheduler.stop()
        sync_jobs(app).wait(timeout=10)
        engine.dispose()
        tell(_("Démo arrêtée. Relancez `make demo` pour reprendre où vous en étiez."))
