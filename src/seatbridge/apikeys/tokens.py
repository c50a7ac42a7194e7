"""Tokens `sbk_<public id>_<secret>`: the public id finds the key, the secret proves it."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PREFIX = "sbk"
PUBLIC_ID = re.compile(r"[0-9a-f]{12}")
SECRET = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True, slots=True)
class Token:
    public_id: str
    secret: str

    def __str__(self) -> str:
        return f"{PREFIX}_{self.public_id}_{self.secret}"


def new_token() -> Token:
    return Token(public_id=secrets.token_hex(6), secret=secrets.token_urlsafe(32))


def parse_token(raw: str) -> Token | None:
    """The token's parts, or None when it cannot be one of ours (never an exception)."""
    prefix, _, rest = raw.strip().partition("_")
    public_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not PUBLIC_ID.fullmatch(public_id) or not SECRET.fullmatch(secret):
        return None
    return Token(public_id=public_id, secret=secret)


def hash_secret(secret: str) -> str:
    # The secret is 256 random bits: a plain SHA-256 is enough (no password stretching needed).
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret).encode(), stored_hash.encode())
