"""Vendor keys for the licensing tests: generated per session, never read from the repository."""

from __future__ import annotations

import pytest

from seatbridge.licensing import KeyRing, VendorSigningKey, generate_signing_key


@pytest.fixture(scope="session")
def vendor_key() -> VendorSigningKey:
    return generate_signing_key("test-2025")


@pytest.fixture(scope="session")
def keyring(vendor_key: VendorSigningKey) -> KeyRing:
    return KeyRing({vendor_key.key_id: vendor_key.public_key})
