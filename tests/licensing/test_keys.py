"""Vendor signing keys on disk, trusted public keys, and key rotation."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from seatbridge.config import Settings
from seatbridge.licensing import (
    KEY_FILE_MODE,
    DuplicateKeyId,
    InvalidPublicKey,
    InvalidSigningKeyFile,
    KeyFileExists,
    KeyRing,
    PublicKeysFileUnreadable,
    SigningKeyUnreadable,
    UnknownKey,
    VendorSigningKey,
    generate_signing_key,
    load_signing_key,
    parse_public_key,
    read_code,
    save_signing_key,
)
from tests.licensing.factories import make_code


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class TestKeyFiles:
    def test_saved_key_loads_with_its_id_and_owner_only_mode(self, tmp_path: Path) -> None:
        key = generate_signing_key("2025a")
        path = tmp_path / "vendor.pem"
        save_signing_key(key, path)
        assert mode(path) == KEY_FILE_MODE == 0o600
        loaded = load_signing_key(path)
        assert loaded.key_id == "2025a"
        assert loaded.public_key_line() == key.public_key_line()
        keyring = KeyRing({key.key_id: key.public_key})
        assert read_code(make_code(loaded), keyring).key_id == "2025a"

    def test_an_existing_file_is_never_overwritten_silently(self, tmp_path: Path) -> None:
        path = tmp_path / "vendor.pem"
        first = generate_signing_key("first")
        save_signing_key(first, path)
        with pytest.raises(KeyFileExists, match="--force"):
            save_signing_key(generate_signing_key("second"), path)
        assert load_signing_key(path).public_key_line() == first.public_key_line()

    def test_overwrite_replaces_and_keeps_the_mode(self, tmp_path: Path) -> None:
        path = tmp_path / "vendor.pem"
        path.write_text("old")
        path.chmod(0o644)
        save_signing_key(generate_signing_key("second"), path, overwrite=True)
        assert load_signing_key(path).key_id == "second"
        assert mode(path) == 0o600
        assert [p.name for p in tmp_path.iterdir()] == ["vendor.pem"]

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(SigningKeyUnreadable, match="absent"):
            load_signing_key(tmp_path / "absent.pem")

    def test_pem_without_key_id(self, tmp_path: Path) -> None:
        path = tmp_path / "bare.pem"
        pem = generate_signing_key("x").private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.write_bytes(pem)
        with pytest.raises(InvalidSigningKeyFile):
            load_signing_key(path)

    @pytest.mark.parametrize("content", ["# key-id: k\nnot a key\n", "", "\x00\x01"])
    def test_not_a_key(self, tmp_path: Path, content: str) -> None:
        path = tmp_path / "junk.pem"
        path.write_text(content)
        with pytest.raises(InvalidSigningKeyFile):
            load_signing_key(path)

    def test_key_of_another_algorithm(self, tmp_path: Path) -> None:
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path = tmp_path / "ec.pem"
        path.write_text("# key-id: ec\n" + pem.decode())
        with pytest.raises(InvalidSigningKeyFile):
            load_signing_key(path)


class TestPublicKeys:
    def test_line_is_key_id_and_raw_base64(self) -> None:
        key = generate_signing_key("2025a")
        key_id, _, encoded = key.public_key_line().partition(":")
        assert key_id == "2025a"
        assert len(base64.b64decode(encoded, validate=True)) == 32
        assert parse_public_key(key.public_key_line())[0] == "2025a"

    @pytest.mark.parametrize(
        "line",
        ["", "2025a", "2025a:", "2025a:not base64!", "2025a:" + "QUJD" * 4, ":" + "A" * 43 + "="],
    )
    def test_malformed_lines(self, line: str) -> None:
        with pytest.raises(InvalidPublicKey):
            parse_public_key(line)


class TestKeyRing:
    def test_lines_with_comments_and_blanks(self) -> None:
        a, b = generate_signing_key("a"), generate_signing_key("b")
        text = f"# vendor keys\n\n{a.public_key_line()}  # 2024\n  {b.public_key_line()}\n"
        ring = KeyRing.from_lines(text.splitlines())
        assert ring.key_ids == ("a", "b") and len(ring) == 2 and "a" in ring
        assert KeyRing.from_lines(ring.lines()).key_ids == ("a", "b")

    def test_same_key_twice_is_fine_a_conflicting_one_is_not(self) -> None:
        a = generate_signing_key("a")
        assert len(KeyRing.from_lines([a.public_key_line(), a.public_key_line()])) == 1
        impostor = generate_signing_key("a")
        with pytest.raises(DuplicateKeyId, match="« a »"):
            KeyRing.from_lines([a.public_key_line(), impostor.public_key_line()])

    def test_unknown_key_names_it(self) -> None:
        with pytest.raises(UnknownKey, match="« nope »"):
            KeyRing().get("nope")

    def test_from_file(self, tmp_path: Path) -> None:
        key = generate_signing_key("filed")
        path = tmp_path / "keys.txt"
        path.write_text(f"# trusted\n{key.public_key_line()}\n")
        assert KeyRing.from_file(path).key_ids == ("filed",)
        with pytest.raises(PublicKeysFileUnreadable, match="absent"):
            KeyRing.from_file(tmp_path / "absent.txt")

    def test_from_settings_merges_the_list_and_the_file(self, tmp_path: Path) -> None:
        listed, filed = generate_signing_key("listed"), generate_signing_key("filed")
        path = tmp_path / "keys.txt"
        path.write_text(filed.public_key_line() + "\n")
        settings = Settings(
            license_public_keys=[listed.public_key_line()], license_public_keys_file=path
        )
        assert KeyRing.from_settings(settings).key_ids == ("filed", "listed")
        empty = Settings(license_public_keys=[], license_public_keys_file=None)
        assert len(KeyRing.from_settings(empty)) == 0


class TestRotation:
    def test_codes_of_every_trusted_key_verify_until_a_key_is_removed(
        self, vendor_key: VendorSigningKey
    ) -> None:
        new_key = generate_signing_key("test-2026")
        ring = KeyRing.from_lines([vendor_key.public_key_line(), new_key.public_key_line()])
        old_code, new_code = make_code(vendor_key), make_code(new_key, seats=20)
        assert read_code(old_code, ring).key_id == "test-2025"
        assert read_code(new_code, ring).seats == 20

        rotated = ring.without("test-2025")
        assert read_code(new_code, rotated).key_id == "test-2026"
        with pytest.raises(UnknownKey) as caught:
            read_code(old_code, rotated)
        assert caught.value.params["key_id"] == "test-2025"
