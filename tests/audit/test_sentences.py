"""Every audit action the code records reads as a sentence (no code left on the page)."""

from __future__ import annotations

import re
from pathlib import Path

import seatbridge
from seatbridge.audit.sentences import ACTIONS, UNKNOWN_ACTION
from seatbridge.i18n import Text

SOURCE = Path(seatbridge.__file__).parent
LITERAL = re.compile(r'(?:action=|_ACTION = )"([a-z_\-]+\.[a-z_\-]+)"')
# Built at run time: f"user.flag_{flag}" (sync) and f"{purpose}.send" (invitations).
DYNAMIC = {
    "user.flag_dormant",
    "user.flag_deleted",
    "user.flag_clear",
    "invitation.send",
    "password-reset.send",
}


def test_every_recorded_action_has_a_sentence() -> None:
    recorded = set()
    for path in SOURCE.rglob("*.py"):
        recorded |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    assert len(recorded) > 15
    assert sorted((recorded | DYNAMIC) - set(ACTIONS)) == []


def test_sentences_read_in_both_languages() -> None:
    sentence = Text(ACTIONS["user.invite"], actor="Émilie Rodriguez", subject="Léa MARTIN")
    assert sentence.render("fr") == "Émilie Rodriguez a invité Léa MARTIN."
    assert sentence.render("en") == "Émilie Rodriguez invited Léa MARTIN."
    unknown = Text(UNKNOWN_ACTION, actor="cli", action="x.y", subject="n° 3")
    assert unknown.render("fr") == "cli : x.y (n° 3)."
