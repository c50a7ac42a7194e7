"""The vendor public keys an installation trusts, by key id.

Several keys are trusted at once so that the vendor can rotate: codes signed with an old key keep
verifying as long as its public key stays in the ring, and stop once it is removed.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from seatbridge.licensing.errors import (
    DuplicateKeyId,
    InvalidKeyId,
    InvalidPublicKey,
    PublicKeysFileUnreadable,
    UnknownKey,
)
from seatbridge.licensing.keys import public_key_line
from seatbridge.licensing.validation import check_key_id

if TYPE_CHECKING:
    from seatbridge.config import Settings

_RAW_KEY_SIZE = 32


def parse_public_key(line: str) -> tuple[str, Ed25519PublicKey]:
    """The key id and key in a "<key_id>:<base64 of the 32 raw bytes>" line."""
    key_id, colon, encoded = line.strip().partition(":")
    try:
        check_key_id(key_id)
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (InvalidKeyId, binascii.Error):
        raise InvalidPublicKey(value=line.strip()) from None
    if not colon or len(raw) != _RAW_KEY_SIZE:
        raise InvalidPublicKey(value=line.strip())
    try:
        return key_id, Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise InvalidPublicKey(value=line.strip()) from None


class KeyRing:
    """Trusted public keys by key id."""

    def __init__(self, keys: Mapping[str, Ed25519PublicKey] | None = None) -> None:
        self._keys: dict[str, Ed25519PublicKey] = {}
        for key_id, key in (keys or {}).items():
            self._add(check_key_id(key_id), key)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> KeyRing:
        """Keys from "<key_id>:<base64>" lines; blank lines and `#` comments are skipped."""
        ring = cls()
        for line in lines:
            content = line.split("#", 1)[0].strip()
            if content:
                ring._add(*parse_public_key(content))
        return ring

    @classmethod
    def from_file(cls, path: Path) -> KeyRing:
        """Keys from a file of "<key_id>:<base64>" lines."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not a text file"
            raise PublicKeysFileUnreadable(path=path, reason=reason) from None
        return cls.from_lines(text.splitlines())

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        """The keys of `license_public_keys` plus those in `license_public_keys_file`."""
        ring = cls.from_lines(settings.license_public_keys)
        if settings.license_public_keys_file is not None:
            ring = ring.merged(cls.from_file(settings.license_public_keys_file))
        return ring

    def merged(self, other: KeyRing) -> KeyRing:
        """A ring trusting the keys of both rings."""
        ring = KeyRing(self._keys)
        for key_id, key in other._keys.items():
            ring._add(key_id, key)
        return ring

    def without(self, key_id: str) -> KeyRing:
        """A ring that no longer trusts `key_id` (the end of a rotation)."""
        return KeyRing({kid: key for kid, key in self._keys.items() if kid != key_id})

    def get(self, key_id: str) -> Ed25519PublicKey:
        """The trusted key named `key_id`; `UnknownKey` if there is none."""
        try:
            return self._keys[key_id]
        except KeyError:
            raise UnknownKey(key_id=key_id) from None

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._keys))

    def lines(self) -> list[str]:
        """The ring as "<key_id>:<base64>" lines, the form of the keys file."""
        return [public_key_line(key_id, self._keys[key_id]) for key_id in self.key_ids]

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self.key_ids)

    def _add(self, key_id: str, key: Ed25519PublicKey) -> None:
        known = self._keys.get(key_id)
        if known is not None and _raw(known) != _raw(key):
            raise DuplicateKeyId(key_id=key_id)
        self._keys[key_id] = key


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
