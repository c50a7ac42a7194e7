"""The demo's banner: French by default, English with SEATBRIDGE_LANG=en, the labels aligned."""

from __future__ import annotations

import pytest

from seatbridge.cli.demo import DemoSetup, print_banner
from seatbridge.config import Settings


def banner(capsys: pytest.CaptureFixture[str]) -> list[str]:
    settings = Settings(base_url="http://127.0.0.1:8000")
    print_banner(DemoSetup(settings, "emilie@bijou-sa.fr", "Saphir", "SB1-XYZ", ("BIJOU", "NORD")))
    return capsys.readouterr().out.splitlines()


def test_french_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SEATBRIDGE_LANG", raising=False)
    lines = banner(capsys)
    assert any("les sociétés Sage 100 BIJOU, NORD sont prêtes" in line for line in lines)
    opened = next(line for line in lines if "Ouvrir" in line)
    password = next(line for line in lines if "Mot de passe admin" in line)
    assert opened.index("http") == password.index("Saphir")  # one column for the values


def test_english_when_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEATBRIDGE_LANG", "en")
    text = "\n".join(banner(capsys))
    assert "Admin password" in text and "Activation code (paste it in step 1" in text
    assert "Mot de passe" not in text and "Visite" not in text
