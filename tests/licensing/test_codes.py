"""Activation codes: round trip, the forms people paste them in, and every way they are refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest

from seatbridge.licensing import (
    BadCharacter,
    CodeTooLong,
    Edition,
    EmptyCode,
    ExpiredCode,
    ForgedCode,
    KeyRing,
    LicenseTerms,
    MistypedCode,
    TruncatedCode,
    UnknownKey,
    UnsupportedVersion,
    VendorSigningKey,
    WrongPrefix,
    crockford,
    generate_signing_key,
    layout,
    normalise_code,
    read_code,
    verify_code,
)
from tests.licensing.factories import (
    CUSTOMER,
    EXPIRES_ON,
    ISSUED_ON,
    body_symbols,
    code_bytes,
    code_from_bytes,
    make_code,
    with_body,
)

GROUPED = re.compile(r"^SB1(-[0-9A-HJKMNP-TV-Z]{1,5})+$")


class TestRoundTrip:
    def test_every_field_comes_back(self, vendor_key: VendorSigningKey, keyring: KeyRing) -> None:
        code = make_code(vendor_key, grace_days=45, serial="7k3m-9qxd")
        assert read_code(code, keyring) == LicenseTerms(
            customer=CUSTOMER,
            edition=Edition.ADVANCED,
            seats=10,
            max_environments=3,
            issued_on=ISSUED_ON,
            expires_on=EXPIRES_ON,
            grace_days=45,
            serial="7K3M9QXD",
            key_id="test-2025",
        )

    def test_starter_code_at_the_limits(
        self, vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        code = make_code(
            vendor_key,
            customer="  Société Générale de Bâtiment et d'Équipement — Côte d'Azur  ",
            edition=Edition.STARTER,
            seats=10_000,
            max_environments=1,
            issued_on=date(2020, 1, 1),
            expires_on=layout.LAST_DATE,
            grace_days=0,
        )
        terms = read_code(code, keyring)
        assert terms.customer == "Société Générale de Bâtiment et d'Équipement — Côte d'Azur"
        assert (terms.edition, terms.seats, terms.max_environments) == (Edition.STARTER, 10_000, 1)
        assert (terms.issued_on, terms.expires_on, terms.grace_days) == (
            date(2020, 1, 1),
            layout.LAST_DATE,
            0,
        )

    def test_serials_are_random_and_unique(
        self, vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        serials = {read_code(make_code(vendor_key), keyring).serial for _ in range(20)}
        assert len(serials) == 20
        assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{8}", serial) for serial in serials)

    def test_a_typical_code_is_grouped_and_211_characters(self) -> None:
        # 42-byte payload (20-byte name, 5-character key id) + 64 + 2 = 108 bytes = 173 symbols,
        # in 35 groups: 173 + 34 dashes + "SB1-".
        code = make_code(generate_signing_key("2025a"))
        assert GROUPED.match(code)
        assert len(code) == 211
        assert normalise_code(code) == code


class TestPastedForms:
    @pytest.mark.parametrize(
        "mangle",
        [
            str.lower,
            lambda c: c.replace("-", " "),
            lambda c: c.replace("-", ""),
            lambda c: "\n  " + "\n".join(c.split("-")) + "\n",
            lambda c: c.replace("0", "O").replace("1", "I"),
            lambda c: c.lower().replace("1", "l").replace("0", "o"),
            lambda c: c.replace("-", "\u2013").replace("S", "S\u00a0", 1),
            lambda c: "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() else ch for ch in c),
        ],
        ids=["lower", "spaces", "no-dashes", "lines", "O-I", "o-l", "typographic", "full-width"],
    )
    def test_same_code_however_pasted(
        self, vendor_key: VendorSigningKey, keyring: KeyRing, mangle: Callable[[str], str]
    ) -> None:
        code = make_code(vendor_key)
        pasted = mangle(code)
        assert normalise_code(pasted) == code
        assert read_code(pasted, keyring) == read_code(code, keyring)


class TestRefusedText:
    @pytest.mark.parametrize("text", ["", "   ", " -- \n\t"])
    def test_empty(self, keyring: KeyRing, text: str) -> None:
        with pytest.raises(EmptyCode):
            read_code(text, keyring)

    def test_bad_character_is_named_with_its_position(
        self, vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        code = make_code(vendor_key)
        typed = code[:11] + "U" + code[12:]
        with pytest.raises(BadCharacter) as caught:
            read_code(typed, keyring)
        assert caught.value.params == {"character": "U", "position": 12}
        assert "« U »" in str(caught.value) and "position 12" in str(caught.value)
        with pytest.raises(BadCharacter, match="position 6"):
            read_code("SB1-0*", keyring)

    @pytest.mark.parametrize("text", ["XB1-AAAAA", "ABCDE-FGHJK", "key/eyJhbGciOi.abc", "SB"])
    def test_wrong_prefix(self, keyring: KeyRing, text: str) -> None:
        with pytest.raises(WrongPrefix) as caught:
            read_code(text, keyring)
        assert caught.value.params["found"] == text[:4]

    def test_missing_prefix(self, vendor_key: VendorSigningKey, keyring: KeyRing) -> None:
        with pytest.raises(WrongPrefix):
            read_code(make_code(vendor_key)[4:], keyring)

    def test_other_format_version(self, vendor_key: VendorSigningKey, keyring: KeyRing) -> None:
        with pytest.raises(UnsupportedVersion, match="format 2"):
            read_code("SB2" + make_code(vendor_key)[3:], keyring)

    def test_payload_version_byte_is_checked(
        self, vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        data = bytearray(code_bytes(make_code(vendor_key)))
        data[0] = 7
        with pytest.raises(UnsupportedVersion, match="format 7"):
            read_code(code_from_bytes(bytes(data)), keyring)


class TestTypingMistakes:
    @pytest.mark.parametrize("kept", [0, 1, 10, 30, 100, -8, -5, -1])
    def test_truncated(self, vendor_key: VendorSigningKey, keyring: KeyRing, kept: int) -> None:
        symbols = body_symbols(make_code(vendor_key))
        cut = symbols[:kept]
        with pytest.raises(TruncatedCode) as caught:
            read_code(with_body(cut), keyring)
        assert caught.value.params["found"] == len(cut)
        assert caught.value.params["expected"] > len(cut)

    def test_truncated_code_names_the_full_length(
        self, vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        symbols = body_symbols(make_code(vendor_key))
        with pytest.raises(TruncatedCode) as caught:
            read_code(with_body(symbols[:-5]), keyring)
        assert caught.value.params == {"found": len(symbols) - 5, "expected": len(symbols)}

    @pytest.mark.parametrize("extra", ["0", "AB", "ZZZZZ", "MERC1"])
    def test_extra_characters(
        self, vendor_key: VendorSigningKey, keyring: KeyRing, extra: str
    ) -> None:
        code = make_code(vendor_key)
        with pytest.raises(CodeTooLong):
            read_code(code + extra, keyring)

    def test_a_zero_byte_after_the_checksum_is_extra_not_forged(
        self, vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        data = code_bytes(make_code(vendor_key))
        with pytest.raises(CodeTooLong):
            read_code(code_from_bytes(data + b"\x00", fix_checksum=False), keyring)

    def test_checksum_is_crc16_genibus(self) -> None:
        assert layout.checksum(b"123456789") == bytes.fromhex("d64e")

    # Symbols 1-4 hold the lengths of the key id and the customer name: a typo there is reported
    # as a length problem (the header announces another size), tested with the lengths.
    @pytest.mark.parametrize("position", [0, 5, 24, 30, 40, 60, 100, 150, -2, -1])
    def test_one_mistyped_character(
        self, vendor_key: VendorSigningKey, keyring: KeyRing, position: int
    ) -> None:
        symbols = list(body_symbols(make_code(vendor_key)))
        symbols[position] = "7" if symbols[position] != "7" else "8"
        with pytest.raises(MistypedCode):
            read_code(with_body("".join(symbols)), keyring)


class TestForgery:
    @pytest.mark.parametrize("bit", [8, 20, 100, 250, 600])
    def test_flipped_bit_with_a_valid_checksum(
        self, vendor_key: VendorSigningKey, keyring: KeyRing, bit: int
    ) -> None:
        data = bytearray(code_bytes(make_code(vendor_key)))
        data[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises(ForgedCode):
            read_code(code_from_bytes(bytes(data)), keyring)

    def test_more_seats_resigned_by_another_key_with_the_same_id(
        self, vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        impostor = generate_signing_key(vendor_key.key_id)
        with pytest.raises(ForgedCode):
            read_code(make_code(impostor, seats=500), keyring)

    def test_signature_of_another_code_does_not_transfer(
        self, vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        small = code_bytes(make_code(vendor_key, seats=5, serial="00000001"))
        large = code_bytes(make_code(vendor_key, seats=50, serial="00000001"))
        split = len(small) - layout.SIGNATURE_SIZE - layout.CHECKSUM_SIZE
        with pytest.raises(ForgedCode):
            read_code(code_from_bytes(large[:split] + small[split:]), keyring)

    def test_inconsistent_lengths_behind_a_valid_checksum(
        self, vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        data = bytearray(code_bytes(make_code(vendor_key)))
        data[1] += 1  # the key id's length
        with pytest.raises(ForgedCode):
            read_code(code_from_bytes(bytes(data)), keyring)

    def test_unknown_key_is_named(self, keyring: KeyRing) -> None:
        stranger = generate_signing_key("other-2024")
        with pytest.raises(UnknownKey) as caught:
            read_code(make_code(stranger), keyring)
        assert caught.value.params == {"key_id": "other-2024"}
        assert "other-2024" in str(caught.value) and "other-2024" in caught.value.message("en")


class TestApplyingOnADay:
    def test_valid_up_to_and_including_the_expiry_day(
        self, vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        code = make_code(vendor_key)
        assert verify_code(code, keyring, today=ISSUED_ON).seats == 10
        assert verify_code(code, keyring, today=EXPIRES_ON).seats == 10

    @pytest.mark.parametrize("days_after", [1, 30, 400])
    def test_refused_once_expired_even_within_grace(
        self, vendor_key: VendorSigningKey, keyring: KeyRing, days_after: int
    ) -> None:
        code = make_code(vendor_key)
        with pytest.raises(ExpiredCode) as caught:
            verify_code(code, keyring, today=EXPIRES_ON + timedelta(days=days_after))
        assert "15/01/2026" in str(caught.value)
        assert "2026-01-15" in caught.value.message("en")
        assert "nouveau code" in str(caught.value)

    def test_read_code_shows_an_expired_code(
        self, vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        assert read_code(make_code(vendor_key), keyring).expires_on == EXPIRES_ON


def test_crockford_rejects_non_canonical_padding() -> None:
    data = b"\x01\x02\x03"
    symbols = crockford.encode(data)
    assert crockford.decode(symbols) == (data, True)
    last = crockford.ALPHABET.index(symbols[-1])
    tweaked = symbols[:-1] + crockford.ALPHABET[last | 1]
    assert crockford.decode(tweaked)[1] is False


def test_terms_are_frozen(vendor_key: VendorSigningKey, keyring: KeyRing) -> None:
    terms = read_code(make_code(vendor_key), keyring)
    with pytest.raises(AttributeError):
        terms.seats = 99  # type: ignore[misc]
    assert replace(terms, seats=99).seats == 99
