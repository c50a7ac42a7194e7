"""Sign-in cannot exhaust the server (issue 13): the attempt is counted before the password check,
atomically (real threads, SQLite and PostgreSQL), and argon2 runs in a bounded number of slots
with a fast refusal once the queue is full."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.auth import errors
from seatbridge.auth.passwords import Passwords
from seatbridge.web.state import WebState
from tests.auth.test_sign_in import PASSWORD, active_user, attempt
from tests.invitations.support import make_settings
from tests.support.factories import clock
from tests.web.conftest import Web, make_web

THREADS = 40


class PeakHasher(PasswordHasher):
    """Records how many argon2 verifications run at the same moment."""

    def __init__(self, original: PasswordHasher) -> None:
        super().__init__(
            time_cost=original.time_cost,
            memory_cost=original.memory_cost,
            parallelism=original.parallelism,
        )
        self._lock = threading.Lock()
        self.running = 0
        self.peak = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.running -= 1


def concurrently(count: int, work: object) -> Counter[str]:
    """Run `work` in `count` threads released together; count each outcome's error code."""
    barrier = threading.Barrier(count)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def one() -> None:
        barrier.wait()
        try:
            work()  # type: ignore[operator]
            outcome = "signed_in"
        except errors.AuthError as error:
            outcome = error.code
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return outcomes


class TestCountedBeforeTheCheck:
    def test_concurrent_wrong_passwords_get_exactly_the_free_attempts(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings, now = make_settings(tmp_path), clock()
        active_user(sessions, settings, now)
        passwords = Passwords(settings.auth)
        outcomes = concurrently(
            THREADS,
            lambda: attempt(
                sessions, settings, now, password="wrong-password", passwords=passwords
            ),
        )
        free = settings.auth.max_failures_per_email
        assert outcomes == {"sign_in_failed": free, "sign_in_throttled": THREADS - free}

    def test_concurrent_guesses_from_one_address_stop_at_its_limit(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path, auth={"max_failures_per_address": 20})
        now = clock()
        passwords = Passwords(settings.auth)
        numbers = iter(range(THREADS))
        lock = threading.Lock()

        def guess() -> None:
            with lock:
                number = next(numbers)
            attempt(
                sessions, settings, now, email=f"guess{number}@bijou-sa.fr", passwords=passwords
            )

        outcomes = concurrently(THREADS, guess)
        assert outcomes == {"sign_in_failed": 20, "sign_in_throttled": THREADS - 20}


class TestBoundedHashing:
    def test_at_most_the_configured_checks_run_at_once(
        self, sessions: sessionmaker[Session], tmp_path: Path
    ) -> None:
        settings = make_settings(
            tmp_path,
            auth={"hash_concurrency": 2, "max_failures_per_email": 100, "hash_memory_kib": 8192},
        )
        now = clock()
        active_user(sessions, settings, now)
        passwords = Passwords(settings.auth)
        peak = PeakHasher(passwords.hasher)
        passwords.hasher = peak
        outcomes = concurrently(
            12, lambda: attempt(sessions, settings, now, password=PASSWORD, passwords=passwords)
        )
        assert outcomes == {"signed_in": 12}
        assert peak.peak == 2

    def test_a_full_queue_refuses_at_once(self, tmp_path: Path) -> None:
        settings = make_settings(tmp_path, auth={"hash_concurrency": 1, "hash_queue": 1})
        passwords = Passwords(settings.auth)
        with passwords.admitted(), passwords.admitted():
            with pytest.raises(errors.PasswordChecksBusy) as busy, passwords.admitted():
                pass
            assert busy.value.params["seconds"] > 0
            assert "réessayez dans" in str(busy.value)
        with passwords.admitted():  # places are given back
            pass


@pytest.fixture
def web(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[Web]:
    made = make_web(engine, sessions, tmp_path)
    with made.client:
        yield made


class TestTheSignInPage:
    def test_busy_and_throttled_answers_say_when_to_retry(self, web: Web) -> None:
        state: WebState = web.app.state.web
        form = {"email": "nobody@bijou-sa.fr", "password": "wrong-password"}
        passwords = state.passwords
        with ExitStack() as taken:  # every slot and queue place held by other sign-ins
            for _ in range(passwords.concurrency + passwords.queue):
                taken.enter_context(passwords.admitted())
            busy = web.post("/auth/sign-in", form)
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
        assert "trop de connexions" in busy.text
        for _ in range(state.settings.auth.max_failures_per_email):
            assert web.post("/auth/sign-in", form).status_code == 400
        throttled = web.post("/auth/sign-in", form)
        assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "1"
        assert "Trop de tentatives de connexion" in throttled.text
