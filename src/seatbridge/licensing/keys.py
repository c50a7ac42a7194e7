"""The vendor's Ed25519 signing keys: generated, saved and loaded as owner-only PEM files.

A key file is a PKCS#8 PEM block after a comment line naming its key id, so that issuing a code
needs only the file:

    # seatbridge vendor signing key: keep it secret, never commit it.
    # key-id: 2025a
    -----BEGIN PRIVATE KEY-----
    ...
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from seatbridge.licensing.errors import (
    InvalidSigningKeyFile,
    KeyFileExists,
    KeyFileUnwritable,
    SigningKeyUnreadable,
)
from seatbridge.licensing.validation import check_key_id

KEY_FILE_MODE = 0o600
_KEY_ID_LINE = re.compile(r"^#\s*key-id:\s*(\S+)\s*$", re.MULTILINE)
_PEM_BEGIN = "-----BEGIN"


@dataclass(frozen=True)
class VendorSigningKey:
    """A private key and the id that codes name it by; only the vendor ever holds one."""

    key_id: str
    private_key: Ed25519PrivateKey = field(repr=False)

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)

    def public_key_line(self) -> str:
        """The "<key_id>:<base64>" line that customers' installations trust."""
        return public_key_line(self.key_id, self.public_key)


def generate_signing_key(key_id: str) -> VendorSigningKey:
    """A fresh Ed25519 key named `key_id`."""
    return VendorSigningKey(key_id=check_key_id(key_id), private_key=Ed25519PrivateKey.generate())


def public_key_line(key_id: str, public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return f"{key_id}:{base64.b64encode(raw).decode('ascii')}"


def save_signing_key(key: VendorSigningKey, path: Path, *, overwrite: bool = False) -> None:
    """Write `key` to `path`, readable by its owner only; an existing file is kept unless
    `overwrite`, because losing a signing key means re-issuing every customer's code."""
    pem = key.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    text = (
        "# seatbridge vendor signing key: keep it secret, never commit it.\n"
        f"# key-id: {key.key_id}\n{pem}"
    )
    if not overwrite:
        _write_new(path, path, text)
        return
    # Write beside the target then rename, so a failure never leaves a half-written key.
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    _write_new(partial, path, text)
    try:
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise KeyFileUnwritable(path=path, reason=error.strerror or str(error)) from None


def load_signing_key(path: Path) -> VendorSigningKey:
    """The signing key saved at `path` by `save_signing_key`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not a text file"
        raise SigningKeyUnreadable(path=path, reason=reason) from None
    key_id_line = _KEY_ID_LINE.search(text)
    begin = text.find(_PEM_BEGIN)
    if key_id_line is None or begin < 0:
        raise InvalidSigningKeyFile(path=path)
    try:
        private_key = serialization.load_pem_private_key(
            text[begin:].encode("ascii"), password=None
        )
    except (ValueError, TypeError, UnicodeEncodeError, UnsupportedAlgorithm):
        raise InvalidSigningKeyFile(path=path) from None
    if not isinstance(private_key, Ed25519PrivateKey):
        raise InvalidSigningKeyFile(path=path)
    return VendorSigningKey(key_id=check_key_id(key_id_line.group(1)), private_key=private_key)


def _write_new(path: Path, shown_as: Path, text: str) -> None:
    try:
        # O_EXCL makes "refuse to overwrite" atomic; the mode is set at creation, never widened.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    except FileExistsError:
        raise KeyFileExists(path=shown_as) from None
    except OSError as error:
        raise KeyFileUnwritable(path=shown_as, reason=error.strerror or str(error)) from None
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(text)
    except OSError as error:
        path.unlink(missing_ok=True)
        raise KeyFileUnwritable(path=shown_as, reason=error.strerror or str(error)) from None
