"""Password hashing (argon2id) and the password policy (in the spirit of NIST SP 800-63B).

The policy asks for length, not composition: at least 10 characters (at most 256), not a common
or predictable password, not the person's e-mail address. See docs/invitations.md.
"""

from __future__ import annotations

import functools
import re
import secrets
import unicodedata
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from seatbridge.auth import errors
from seatbridge.config import AuthSettings

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
    """argon2id hashing with the settings' cost, and a dummy hash for unknown e-mails."""

    def __init__(self, settings: AuthSettings) -> None:
        self.hasher = PasswordHasher(
            time_cost=settings.hash_time_cost,
            memory_cost=settings.hash_memory_kib,
            parallelism=settings.hash_parallelism,
        )

    @functools.cached_property
    def dummy_hash(self) -> str:
        """A hash with the current parameters, verified when no user matches, so that an
        unknown e-mail costs the same time as a known one."""
        return self.hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self.hasher.hash(normalize_password(password))

    def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches; a missing hash still costs one verification."""
        try:
            self.hasher.verify(password_hash or self.dummy_hash, normalize_password(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self.hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
