"""Password policy (NIST SP 800-63B spirit) and argon2id hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from seatbridge.auth import errors
from seatbridge.auth.passwords import Passwords, check_policy, common_passwords
from seatbridge.config import AuthSettings
from tests.auth.spy import counting

FAST = AuthSettings(hash_time_cost=1, hash_memory_kib=8, hash_parallelism=1)


class TestPolicy:
    @pytest.mark.parametrize(
        "password",
        [
            "Trombone-cheval-lune-42",
            "correct horse battery staple",
            "Zéphyr sur l'étang gelé",
            "x" * 9 + "yzw",
            "🙂 émoji-phrase 2026 !",
        ],
    )
    def test_accepted(self, password: str) -> None:
        check_policy(password, email="lea.martin@bijou-sa.fr")

    def test_too_short_in_both_languages(self) -> None:
        with pytest.raises(errors.PasswordTooShort) as refused:
            check_policy("court")
        assert refused.value.message("fr") == (
            "Le mot de passe doit contenir au moins 10 caractères (il en a 5)."
        )
        assert refused.value.message("en") == (
            "The password must be at least 10 characters long (it has 5)."
        )

    def test_too_long(self) -> None:
        with pytest.raises(errors.PasswordTooLong) as refused:
            check_policy("ab1-" * 65)
        assert "au plus 256" in str(refused.value)
        assert "at most 256" in refused.value.message("en")

    @pytest.mark.parametrize(
        "password",
        [
            "azertyuiop",
            "1234567890",
            "Motdepasse2024!",
            "P@ssw0rd2024",
            "qwertyuiop123",
            "iloveyou12345",
            "  Marseille13  ",
            "bienvenue123!",
        ],
    )
    def test_common_and_predictable_refused(self, password: str) -> None:
        with pytest.raises(errors.PasswordTooCommon) as refused:
            check_policy(password)
        assert "les plus courants" in refused.value.message("fr")
        assert "most common" in refused.value.message("en")

    def test_repetitive_refused(self) -> None:
        with pytest.raises(errors.PasswordTooRepetitive):
            check_policy("abababababab")

    @pytest.mark.parametrize(
        "password", ["lea.martin@bijou-sa.fr", "LEA.MARTIN2026", "lea.martin-bijou!"]
    )
    def test_email_and_its_local_part_refused(self, password: str) -> None:
        with pytest.raises(errors.PasswordContainsEmail) as refused:
            check_policy(password, email="Lea.Martin@bijou-sa.fr")
        assert "adresse e-mail" in str(refused.value)
        assert "e-mail address" in refused.value.message("en")

    def test_the_shipped_list_is_large(self) -> None:
        common = common_passwords()
        assert len(common) >= 10_000
        assert {"123456", "password", "azerty", "motdepasse", "soleil"} <= common


class TestHashing:
    def test_argon2id_round_trip_with_nfc(self) -> None:
        passwords = Passwords(FAST)
        stored = passwords.hash("E\u0301té au bord de l'eau")  # decomposed é
        assert stored.startswith("$argon2id$")
        assert passwords.verify(stored, "\u00c9té au bord de l'eau")  # composed É
        assert not passwords.verify(stored, "wrong password!")

    def test_unknown_user_still_costs_one_verification(self) -> None:
        passwords = Passwords(FAST)
        hasher = counting(passwords)
        assert not passwords.verify(None, "whatever-it-is")
        assert len(hasher.verified) == 1 and hasher.verified[0].startswith("$argon2id$")

    def test_rehash_when_parameters_change(self) -> None:
        old = Passwords(FAST).hash("Trombone-cheval-lune-42")
        stronger = Passwords(FAST.model_copy(update={"hash_time_cost": 2}))
        assert stronger.needs_rehash(old)
        assert not stronger.needs_rehash(stronger.hash("Trombone-cheval-lune-42"))
        assert stronger.needs_rehash("not-a-hash")

    def test_production_defaults_are_rfc_9106_low_memory(self) -> None:
        defaults = Passwords(AuthSettings()).hasher
        reference = PasswordHasher()
        assert (defaults.time_cost, defaults.memory_cost, defaults.parallelism) == (
            reference.time_cost,
            reference.memory_cost,
            reference.parallelism,
        )
