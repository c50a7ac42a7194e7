"""make bench-provision: provisioning at several sizes, on SQLite and PostgreSQL stores.

For N collaborators (a generated Sage 100 company read by the real reader):

1. a full sync of the company;
2. one batch invitation of every invitable collaborator (`onboarding.invite_collaborators`,
   the wizard's and the Admin's path: users, seats, links, tokens, outbox, audit), beside a bare
   baseline that inserts the same rows with Core `executemany` in one transaction;
3. delivery of the welcome e-mails to a real SMTP server (aiosmtpd on 127.0.0.1) by
   `deliver_outbox` and `SmtpTransport`, beside a bare `smtplib` loop sending the same
   messages over one connection.

Figures are in-process wall time (CPU time in brackets), medians of REPEAT runs, each on a fresh
store. Usage: `python bench/bench_provision.py [N ...]` (default 100 300 1000).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import smtplib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.factories import clock, make_account, make_environment  # noqa: E402
from tests.support.smtp import SmtpSink  # noqa: E402

from seatbridge import onboarding  # noqa: E402
from seatbridge.audit.models import AuditEvent  # noqa: E402
from seatbridge.config import AuthSettings, Settings, SmtpSettings  # noqa: E402
from seatbridge.db.engine import create_store_engine, session_factory  # noqa: E402
from seatbridge.db.migrate import upgrade  # noqa: E402
from seatbridge.directory.models import User  # noqa: E402
from seatbridge.invitations.models import AuthToken  # noqa: E402
from seatbridge.mail import deliver_outbox  # noqa: E402
from seatbridge.mail.models import OutboxMessage  # noqa: E402
from seatbridge.mail.smtp import SmtpTransport  # noqa: E402
from seatbridge.mail.transport import OutgoingMail, build_message  # noqa: E402
from seatbridge.sage100.demo import make_demo_company  # noqa: E402
from seatbridge.sage100.reader import Sage100Reader  # noqa: E402
from seatbridge.sync.models import Collaborator  # noqa: E402
from seatbridge.sync.runner import run_sync  # noqa: E402
from seatbridge.sync.source import Sage100Source  # noqa: E402

SIZES = (100, 300, 1000)
REPEAT = 3
CACHE = ROOT / ".bench-cache"
SENDER = "SSM <no-reply@bench.test>"


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @contextmanager
    def measure(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    def show(self) -> str:
        return f"{self.median * 1000:8.1f} ms (CPU {statistics.median(self.cpu) * 1000:7.1f} ms)"


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or list(SIZES)
    CACHE.mkdir(exist_ok=True)
    print(f"load average at start: {os.getloadavg()[0]:.2f} (1 min)")
    for label, store in stores():
        print(f"\n{label}")
        for size in sizes:
            bench(size, store)
    print(f"\nload average at end: {os.getloadavg()[0]:.2f} (1 min)")


def stores() -> Iterator[tuple[str, Callable[[], AbstractContextManager[str]]]]:
    yield "SQLite store", _sqlite_store
    try:
        probe = create_engine(
            "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
            connect_args={"connect_timeout": 2},
        )
        with probe.connect():
            pass
        probe.dispose()
        yield "PostgreSQL store", _pg_store
    except Exception as error:  # noqa: BLE001
        print(f"(PostgreSQL store skipped: {type(error).__name__})")


@contextmanager
def _sqlite_store() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/store.db"


@contextmanager
def _pg_store() -> Iterator[str]:
    from tests.support.databases import fresh_pg_database

    with fresh_pg_database("sbprov") as url:
        yield url


def company(size: int) -> Path:
    path = CACHE / f"sage-provision-{size}.db"
    if not path.exists():
        make_demo_company(
            f"sqlite:///{path}",
            company="BENCH",
            collaborators=size,
            customers=10,
            documents=10,
            seed=11,
        )
    return path


def bench(size: int, store: Callable[[], AbstractContextManager[str]]) -> None:
    sage = company(size)
    sync, invite, bare_invite, mail, bare_mail = Timing(), Timing(), Timing(), Timing(), Timing()
    invited = 0
    for _ in range(REPEAT):
        with tempfile.TemporaryDirectory() as folder, store() as url:
            settings = Settings(
                demo=True,
                data_dir=Path(folder),
                base_url="https://ssm.bench.test",
                auth=AuthSettings(hash_time_cost=1, hash_memory_kib=8, hash_parallelism=1),
            )
            engine = create_store_engine(url)
            upgrade(engine)
            sessions = session_factory(engine)
            now = clock()
            with sessions.begin() as session:
                account = make_account(session, seats=size * 3)
                environment = make_environment(session, account, "BENCH")
                other = make_account(session, seats=size * 3)
            with Sage100Reader(f"sqlite:///{sage}") as reader, sync.measure():
                run_sync(
                    sessions,
                    account_id=account.id,
                    environment_id=environment.id,
                    source=Sage100Source(reader),
                    actor="bench",
                    clock=now,
                )
            with sessions() as session:
                picks = [
                    (environment.id, co)
                    for co in session.scalars(
                        select(Collaborator.co_no)
                        .where(
                            Collaborator.environment_id == environment.id,
                            Collaborator.not_invitable.is_(None),
                            Collaborator.email.is_not(None),
                        )
                        .order_by(Collaborator.co_no)
                    )
                ]
            invited = len(picks)
            with invite.measure(), sessions.begin() as session:
                onboarding.invite_collaborators(
                    session,
                    account_id=account.id,
                    picks=picks,
                    actor="bench",
                    clock=now,
                    settings=settings,
                )
            with bare_invite.measure():
                bare_invitation(sessions, other.id, invited, now.now())
            sink = SmtpSink()
            sink.start()
            try:
                transport = SmtpTransport(
                    SmtpSettings(host="127.0.0.1", port=sink.port, security="none", sender=SENDER)
                )
                with mail.measure():
                    report = deliver_outbox(sessions, transport, now)
                assert report.sent >= invited, report
                with bare_mail.measure():
                    bare_delivery(sessions, sink.port)
                assert len(sink.received) == 2 * report.sent
            finally:
                sink.stop()
            engine.dispose()
    print(f"  N = {size} collaborators ({invited} invitable)")
    print(f"    full sync                  {sync.show()}")
    print(
        f"    invite all in one batch    {invite.show()}   bare executemany {bare_invite.show()}"
        f"   ratio {invite.median / bare_invite.median:5.2f}x"
    )
    print(
        f"    deliver {invited:>5} e-mails       {mail.show()}"
        f"   bare smtplib     {bare_mail.show()}"
        f"   ratio {mail.median / bare_mail.median:5.2f}x"
    )


def bare_invitation(
    sessions: sessionmaker[Session], account_id: int, n: int, now: dt.datetime
) -> None:
    """The floor: the same rows an invitation writes, inserted by Core executemany."""
    with sessions.begin() as session:
        users = [
            {
                "account_id": account_id,
                "email": f"bare{i}@bench.test",
                "email_normalized": f"bare{i}@bench.test",
                "role": "salesrep",
                "status": "invited",
                "locale": "fr",
                "source": "bench",
                "ssm_only": False,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(n)
        ]
        ids = list(
            session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), users)
        )
        session.execute(
            insert(AuthToken),
            [
                {
                    "account_id": account_id,
                    "user_id": user_id,
                    "purpose": "invite",
                    "token_hash": secrets.token_hex(32),
                    "created_at": now,
                    "created_by": "bench",
                    "expires_at": now + dt.timedelta(days=7),
                }
                for user_id in ids
            ],
        )
        body = "Bonjour, voici votre lien : https://ssm.bench.test/auth/set-password/x" * 4
        session.execute(
            insert(OutboxMessage),
            [
                {
                    "account_id": account_id,
                    "idempotency_key": f"bare:{user_id}",
                    "recipient": f"bare{i}@bench.test",
                    "locale": "fr",
                    "subject": "Invitation",
                    "text_body": body,
                    "html_body": f"<p>{body}</p>",
                    "created_at": now,
                    "next_attempt_at": now + dt.timedelta(days=365),  # never due
                    "attempts": 0,
                }
                for i, user_id in enumerate(ids)
            ],
        )
        session.execute(
            insert(AuditEvent),
            [
                {
                    "account_id": account_id,
                    "actor": "bench",
                    "action": action,
                    "subject_type": "user",
                    "subject_id": str(user_id),
                    "after": {"email": f"bare{user_id}@bench.test"},
                }
                for user_id in ids
                for action in ("user.create", "user.link", "invitation.send")
            ],
        )


def bare_delivery(sessions: sessionmaker[Session], port: int) -> None:
    """The floor: the sent messages again, built and sent by smtplib over one connection."""
    with sessions() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_not(None)))
        mails = [
            OutgoingMail(
                outbox_id=row.id,
                idempotency_key=row.idempotency_key,
                recipient=row.recipient,
                locale=row.locale,
                subject=row.subject,
                text_body=row.text_body,
                html_body=row.html_body,
                created_at=row.created_at,
            )
            for row in rows
        ]
    with smtplib.SMTP("127.0.0.1", port) as client:
        for mail in mails:
            client.send_message(build_message(mail, SENDER))


if __name__ == "__main__":
    main()
