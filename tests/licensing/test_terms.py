"""Licence terms: where a code stands on a given day, and the terms a vendor may not sign."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

import seatbridge.licensing as licensing
from seatbridge.i18n import gettext
from seatbridge.licensing import (
    DateOutOfRange,
    Edition,
    InvalidCustomer,
    InvalidEdition,
    InvalidEnvironments,
    InvalidGraceDays,
    InvalidKeyId,
    InvalidSeats,
    InvalidSerial,
    InvalidTerms,
    InvalidValidity,
    LicenseError,
    LicenseStatus,
    LicenseTerms,
    StarterEnvironments,
    VendorSigningKey,
    generate_signing_key,
)
from tests.licensing.factories import ISSUED_ON, make_code

EXPIRY = date(2026, 3, 31)


def terms(grace_days: int = 30) -> LicenseTerms:
    return LicenseTerms(
        customer="Bijou SA",
        edition=Edition.STARTER,
        seats=5,
        max_environments=1,
        issued_on=date(2025, 3, 31),
        expires_on=EXPIRY,
        grace_days=grace_days,
        serial="00000001",
        key_id="k1",
    )


class TestStatus:
    @pytest.mark.parametrize(
        ("today", "status", "days_left"),
        [
            (date(2025, 3, 31), LicenseStatus.VALID, 365),
            (EXPIRY - timedelta(days=1), LicenseStatus.VALID, 1),
            (EXPIRY, LicenseStatus.VALID, 0),
            (EXPIRY + timedelta(days=1), LicenseStatus.GRACE, -1),
            (EXPIRY + timedelta(days=30), LicenseStatus.GRACE, -30),
            (EXPIRY + timedelta(days=31), LicenseStatus.EXPIRED, -31),
        ],
        ids=["issue-day", "day-before-expiry", "expiry-day", "first-grace", "last-grace", "after"],
    )
    def test_boundaries(self, today: date, status: LicenseStatus, days_left: int) -> None:
        assert terms().status(today) is status
        assert terms().days_left(today) == days_left

    def test_grace_ends_on(self) -> None:
        assert terms().grace_ends_on == date(2026, 4, 30)
        assert terms(grace_days=0).grace_ends_on == EXPIRY

    def test_no_grace_means_expired_the_day_after(self) -> None:
        assert terms(grace_days=0).status(EXPIRY) is LicenseStatus.VALID
        assert terms(grace_days=0).status(EXPIRY + timedelta(days=1)) is LicenseStatus.EXPIRED

    def test_to_dict_is_json_ready(self) -> None:
        assert terms().to_dict() == {
            "customer": "Bijou SA",
            "edition": "starter",
            "seats": 5,
            "max_environments": 1,
            "issued_on": "2025-03-31",
            "expires_on": "2026-03-31",
            "grace_days": 30,
            "grace_ends_on": "2026-04-30",
            "serial": "00000001",
            "key_id": "k1",
        }


INVALID: list[tuple[dict[str, Any], type[InvalidTerms], str]] = [
    ({"seats": 0}, InvalidSeats, "reçu : 0"),
    ({"seats": -3}, InvalidSeats, "reçu : -3"),
    ({"seats": 10_001}, InvalidSeats, "10001"),
    ({"edition": "starter", "max_environments": 2}, StarterEnvironments, "reçu : 2"),
    ({"max_environments": 0}, InvalidEnvironments, "reçu : 0"),
    ({"max_environments": 101}, InvalidEnvironments, "101"),
    ({"expires_on": ISSUED_ON}, InvalidValidity, "15/01/2025"),
    ({"expires_on": ISSUED_ON - timedelta(days=1)}, InvalidValidity, "14/01/2025"),
    ({"issued_on": date(2019, 12, 31)}, DateOutOfRange, "31/12/2019"),
    ({"expires_on": date(2200, 1, 1)}, DateOutOfRange, "01/01/2200"),
    ({"grace_days": -1}, InvalidGraceDays, "reçu : -1"),
    ({"grace_days": 181}, InvalidGraceDays, "181"),
    ({"customer": ""}, InvalidCustomer, "de 1 à 60"),
    ({"customer": "   "}, InvalidCustomer, "60"),
    ({"customer": "x" * 61}, InvalidCustomer, "x" * 61),
    ({"customer": "Bijou\x00SA"}, InvalidCustomer, "Bijou"),
    ({"customer": "Bijou\nSA"}, InvalidCustomer, "Bijou"),
    ({"edition": "pro"}, InvalidEdition, "« pro »"),
    ({"serial": "ABC"}, InvalidSerial, "« ABC »"),
    ({"serial": "UUUUUUUU"}, InvalidSerial, "UUUUUUUU"),
    ({"serial": "123456789"}, InvalidSerial, "123456789"),
]


class TestIssueValidation:
    @pytest.mark.parametrize(("overrides", "error", "named"), INVALID)
    def test_invalid_terms_are_refused_with_the_value(
        self,
        vendor_key: VendorSigningKey,
        overrides: dict[str, Any],
        error: type[InvalidTerms],
        named: str,
    ) -> None:
        with pytest.raises(error) as caught:
            make_code(vendor_key, **overrides)
        assert named in str(caught.value)
        assert caught.value.message("en") != str(caught.value)

    def test_edition_is_case_insensitive(self, vendor_key: VendorSigningKey) -> None:
        assert make_code(vendor_key, edition=" Advanced ").startswith("SB1-")

    @pytest.mark.parametrize("key_id", ["", "a" * 17, "clé", "a:b", "a b"])
    def test_key_ids_are_short_and_plain(self, key_id: str) -> None:
        with pytest.raises(InvalidKeyId):
            generate_signing_key(key_id)


def test_every_error_has_a_stable_code_and_two_languages() -> None:
    classes = [
        value
        for value in vars(licensing).values()
        if isinstance(value, type) and issubclass(value, LicenseError)
    ]
    codes = [cls.code for cls in classes]
    assert len(classes) >= 25
    assert len(set(codes)) == len(codes)
    for cls in classes:
        assert cls.code.startswith("license.")
        assert gettext(cls.template, "en") != cls.template
