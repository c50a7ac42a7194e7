"""Activation codes in force (rules 6, 9, 10, 11): real Ed25519-signed codes applied to accounts."""

from __future__ import annotations

import datetime as dt
import tempfile

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from seatbridge.accounts import errors, seats
from seatbridge.accounts import service as accounts
from seatbridge.accounts.models import AppliedLicense, SourceMode
from seatbridge.directory import service as directory
from seatbridge.licensing import (
    ExpiredCode,
    ForgedCode,
    KeyRing,
    UnknownKey,
    VendorSigningKey,
    generate_signing_key,
    issue_code,
)
from tests.support.factories import TEST_SOURCES, TODAY, clock, people


@pytest.fixture(scope="module")
def vendor_key() -> VendorSigningKey:
    return generate_signing_key("test-2026")


@pytest.fixture(scope="module")
def keyring(vendor_key: VendorSigningKey) -> KeyRing:
    return KeyRing({vendor_key.key_id: vendor_key.public_key})


def code(
    key: VendorSigningKey,
    *,
    seats: int = 10,
    edition: str = "advanced",
    environments: int = 3,
    issued_on: dt.date = TODAY,
    expires_on: dt.date = TODAY + dt.timedelta(days=365),
) -> str:
    return issue_code(
        key,
        customer="Bijou SA",
        edition=edition,
        seats=seats,
        max_environments=1 if edition == "starter" else environments,
        issued_on=issued_on,
        expires_on=expires_on,
    )


def apply(session: Session, account_id: int, text: str, keyring: KeyRing):  # type: ignore[no-untyped-def]
    return accounts.apply_activation_code(
        session, account_id=account_id, code=text, keyring=keyring, clock=clock(), actor="admin"
    )


class TestApplyingCodes:
    def test_a_code_puts_its_terms_in_force(
        self, sessions: sessionmaker[Session], vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        with sessions.begin() as session:
            account = accounts.create_account(session, name="Bijou SA", actor="cli")
            text = code(vendor_key, seats=10)
            account, changed = apply(session, account.id, text.lower().replace("-", " "), keyring)
            assert changed and account.edition == "advanced" and account.seats == 10
            assert account.max_environments == 3
            again, changed_again = apply(session, account.id, text, keyring)
            assert not changed_again and again.seats == 10
            assert session.scalar(select(func.count()).select_from(AppliedLicense)) == 1

    def test_a_newer_code_replaces_the_older_and_an_older_one_is_refused(
        self, sessions: sessionmaker[Session], vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        first = code(vendor_key, seats=10, issued_on=TODAY - dt.timedelta(days=30))
        second = code(vendor_key, seats=25)
        with sessions.begin() as session:
            account = accounts.create_account(session, name="Bijou SA", actor="cli")
            apply(session, account.id, first, keyring)
            account, _ = apply(session, account.id, second, keyring)
            assert account.seats == 25
        with pytest.raises(errors.OlderCode), sessions.begin() as session:
            apply(session, account.id, first, keyring)

    def test_fewer_seats_than_used_puts_the_account_over_quota(
        self, sessions: sessionmaker[Session], vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        with sessions.begin() as session:
            account = accounts.create_account(session, name="Bijou SA", actor="cli")
            apply(session, account.id, code(vendor_key, seats=10), keyring)
            directory.invite_users(
                session, account_id=account.id, people=people(8), actor="a", clock=clock()
            )
            apply(session, account.id, code(vendor_key, seats=5), keyring)
            usage = seats.seat_usage(session, account_id=account.id, today=TODAY)
            assert (usage.total, usage.used, usage.over_quota) == (5, 8, True)
            assert len(directory.list_users(session, account_id=account.id)) == 8
        with pytest.raises(errors.OverQuota), sessions.begin() as session:
            directory.invite_users(
                session, account_id=account.id, people=people(1), actor="a", clock=clock()
            )

    @pytest.mark.parametrize("failure", ["forged", "unknown_key", "expired"])
    def test_a_bad_code_changes_nothing(
        self,
        sessions: sessionmaker[Session],
        vendor_key: VendorSigningKey,
        keyring: KeyRing,
        failure: str,
    ) -> None:
        with sessions.begin() as session:
            account = accounts.create_account(session, name="Bijou SA", actor="cli")
            apply(session, account.id, code(vendor_key, seats=3), keyring)
        if failure == "forged":
            bad, expected = code(generate_signing_key("test-2026"), seats=500), ForgedCode
        elif failure == "unknown_key":
            bad, expected = code(generate_signing_key("stolen"), seats=500), UnknownKey
        else:
            bad = code(
                vendor_key,
                issued_on=TODAY - dt.timedelta(days=400),
                expires_on=TODAY - dt.timedelta(days=1),
            )
            expected = ExpiredCode
        with pytest.raises(expected), sessions.begin() as session:
            apply(session, account.id, bad, keyring)
        with sessions() as session:
            assert accounts.get_account(session, account.id).seats == 3


class TestEditions:
    def test_starter_allows_one_environment_and_no_caps(
        self, sessions: sessionmaker[Session], vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        with sessions.begin() as session:
            account = accounts.create_account(session, name="Petit Bijou", actor="cli")
            apply(session, account.id, code(vendor_key, edition="starter"), keyring)
            with pytest.raises(errors.FeatureNotInEdition):
                accounts.add_environment(
                    session,
                    account_id=account.id,
                    name="BIJOU",
                    actor="a",
                    source_url=f"sqlite:///{tempfile.gettempdir()}/x.db",
                    sources=TEST_SOURCES,
                    seat_cap=5,
                )
            accounts.add_environment(
                session,
                account_id=account.id,
                name="BIJOU",
                actor="a",
                source_url=f"sqlite:///{tempfile.gettempdir()}/x.db",
                sources=TEST_SOURCES,
            )
        with pytest.raises(errors.EnvironmentLimitReached) as refused, sessions.begin() as s:
            accounts.add_environment(
                s,
                account_id=account.id,
                name="BIJOU-NORD",
                actor="a",
                mode=SourceMode.CONNECTOR,
            )
        assert "édition avancée" in str(refused.value)

    def test_advanced_allows_the_codes_maximum(
        self, sessions: sessionmaker[Session], vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        with sessions.begin() as session:
            account = accounts.create_account(session, name="Bijou SA", actor="cli")
            apply(session, account.id, code(vendor_key, environments=2), keyring)
            for name in ("A", "B"):
                accounts.add_environment(
                    session,
                    account_id=account.id,
                    name=name,
                    actor="a",
                    mode=SourceMode.CONNECTOR,
                    seat_cap=3,
                )
            with pytest.raises(errors.EnvironmentLimitReached):
                accounts.add_environment(
                    session,
                    account_id=account.id,
                    name="C",
                    actor="a",
                    mode=SourceMode.CONNECTOR,
                )

    def test_environment_needs_a_code_a_name_and_a_source(
        self, sessions: sessionmaker[Session], vendor_key: VendorSigningKey, keyring: KeyRing
    ) -> None:
        with sessions.begin() as session:
            account = accounts.create_account(session, name="Bijou SA", actor="cli")
            with pytest.raises(errors.NoLicense):
                accounts.add_environment(
                    session,
                    account_id=account.id,
                    name="A",
                    actor="a",
                    source_url=f"{tempfile.gettempdir()}/x.db",
                    sources=TEST_SOURCES,
                )
            apply(session, account.id, code(vendor_key), keyring)
            with pytest.raises(errors.InvalidEnvironment):
                accounts.add_environment(session, account_id=account.id, name="A", actor="a")
            with pytest.raises(errors.InvalidEnvironment):
                accounts.add_environment(
                    session,
                    account_id=account.id,
                    name="  ",
                    actor="a",
                    source_url=f"{tempfile.gettempdir()}/x.db",
                    sources=TEST_SOURCES,
                )
            accounts.add_environment(
                session,
                account_id=account.id,
                name="A",
                actor="a",
                source_url=f"{tempfile.gettempdir()}/x.db",
                sources=TEST_SOURCES,
            )
            with pytest.raises(errors.EnvironmentAlreadyExists):
                accounts.add_environment(
                    session,
                    account_id=account.id,
                    name="A",
                    actor="a",
                    source_url=f"{tempfile.gettempdir()}/x.db",
                    sources=TEST_SOURCES,
                )


class TestAccounts:
    def test_slugs_are_unique_and_names_validated(self, sessions: sessionmaker[Session]) -> None:
        with sessions.begin() as session:
            account = accounts.create_account(session, name="Bijouterie Émeraude", actor="cli")
            assert account.slug == "bijouterie-emeraude"
            assert accounts.get_account(session, "Bijouterie Émeraude").id == account.id
            with pytest.raises(errors.AccountAlreadyExists):
                accounts.create_account(session, name="bijouterie emeraude", actor="cli")
            with pytest.raises(errors.InvalidAccountName):
                accounts.create_account(session, name=" !! ", actor="cli")
            with pytest.raises(errors.AccountNotFound):
                accounts.get_account(session, "nobody")
