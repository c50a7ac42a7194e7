"""An argon2 hasher that records what it verifies (to prove every sign-in path verifies)."""

from __future__ import annotations

from argon2 import PasswordHasher

from seatbridge.auth.passwords import Passwords


class CountingHasher(PasswordHasher):
    def __init__(self, original: PasswordHasher) -> None:
        super().__init__(
            time_cost=original.time_cost,
            memory_cost=original.memory_cost,
            parallelism=original.parallelism,
        )
        self.verified: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified.append(hash if isinstance(hash, str) else hash.decode())
        return super().verify(hash, password)


def counting(passwords: Passwords) -> CountingHasher:
    hasher = CountingHasher(passwords.hasher)
    passwords.hasher = hasher
    return hasher
