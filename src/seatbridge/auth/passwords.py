"""Password hashing (argon2id) and the password policy (in the spirit of NIST SP 800-63B).

The policy asks for length, not composition: at least 10 characters (at most 256), not a common
or predictable password, not the person's e-mail address. See docs/invitations.md.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from seatbridge.auth import errors
from seatbridge.config import AuthSettings

# Seconds a refused sign-in is told to wait when every argon2 slot and queue place is taken.
RETRY_AFTER_BUSY = 2
MIN_LENGTH = 10
MAX_LENGTH = 256
MIN_DISTINCT_CHARACTERS = 4
# What people add around a dictionary word: digits, years, punctuation.
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common and predictable passwords (lower case)."""
    text = resources.files("seatbridge.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def normalize_password(password: str) -> str:
    """NFC, so the same password typed on two keyboards hashes the same (SP 800-63B 5.1.1.2)."""
    return unicodedata.normalize("NFC", password)


def check_policy(password: str, *, email: str | None = None) -> None:
    """Raise a PasswordRejected subclass that says what to change, or return."""
    password = normalize_password(password)
    length = len(password)
    if length < MIN_LENGTH:
        raise errors.PasswordTooShort(minimum=MIN_LENGTH, length=length)
    if length > MAX_LENGTH:
        raise errors.PasswordTooLong(maximum=MAX_LENGTH, length=length)
    lowered = password.casefold()
    if len(set(lowered)) < MIN_DISTINCT_CHARACTERS:
        raise errors.PasswordTooRepetitive()
    if email and _repeats_email(lowered, email.strip().casefold()):
        raise errors.PasswordContainsEmail()
    common = common_passwords()
    if any(candidate in common for candidate in _variants(lowered)):
        raise errors.PasswordTooCommon()


def _variants(lowered: str) -> set[str]:
    stripped = _DECORATION.sub("", lowered)
    candidates = {lowered, stripped, lowered.replace(" ", "")}
    return candidates | {candidate.translate(_LEET) for candidate in candidates} - {""}


def _repeats_email(lowered: str, email: str) -> bool:
    local = email.partition("@")[0]
    compact = lowered.replace(" ", "")
    if compact in (email, local) or _DECORATION.sub("", compact) in (email, local):
        return True
    # A password built around the address (e.g. "jean.dupont2026!") is guessable by anyone.
    return len(local) >= 5 and local in compact


class Passwords:
    """argon2id hashing with the settings' cost, and a dummy hash for unknown e-mails.

    At most `concurrency` argon2 computations run at once in the process (each takes
    `hash_memory_kib`), whoever asks: the memory a burst of sign-ins can take is bounded. An edge
    that serves many callers first takes a place with `admitted()`, which refuses at once
    (PasswordChecksBusy) when `concurrency` run and `queue` more wait.
    """

    def __init__(self, settings: AuthSettings) -> None:
        self.hasher = PasswordHasher(
            time_cost=settings.hash_time_cost,
            memory_cost=settings.hash_memory_kib,
            parallelism=settings.hash_parallelism,
        )
        self.concurrency = settings.hash_concurrency or os.cpu_count() or 1
        self.queue = 4 * self.concurrency if settings.hash_queue is None else settings.hash_queue
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._lock = threading.Lock()
        self._admitted = 0

    @property
    def full(self) -> bool:
        """Every slot and queue place taken (a hint for an early refusal; `admitted` decides)."""
        return self._admitted >= self.concurrency + self.queue

    @contextmanager
    def admitted(self) -> Iterator[None]:
        """A place among those computing or waiting to; PasswordChecksBusy when none is left."""
        with self._lock:
            if self._admitted >= self.concurrency + self.queue:
                raise errors.PasswordChecksBusy(seconds=RETRY_AFTER_BUSY)
            self._admitted += 1
        try:
            yield
        finally:
            with self._lock:
                self._admitted -= 1

    @functools.cached_property
    def dummy_hash(self) -> str:
        """A hash with the current parameters, verified when no user matches, so that an
        unknown e-mail costs the same time as a known one."""
        with self._slots:
            return self.hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        with self._slots:
            return self.hasher.hash(normalize_password(password))

    def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches; a missing hash still costs one verification."""
        expected = password_hash or self.dummy_hash
        try:
            with self._slots:
                self.hasher.verify(expected, normalize_password(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self.hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
