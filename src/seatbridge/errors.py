"""The root of every domain's error hierarchy.

Each error class carries a stable ``code`` (for APIs and tests), and a message template in French
(the product's default language) and in English. Edges show ``error.message(locale)``; ``str()`` is
the French message. No edge ever shows a stack trace to a person.
"""

from __future__ import annotations

from typing import Any, ClassVar

SUPPORTED_LOCALES = ("fr", "en")


class SeatbridgeError(Exception):
    """A failure that an edge can explain to a person in one or two sentences."""

    code: ClassVar[str] = "error"
    fr: ClassVar[str] = "Une erreur est survenue."
    en: ClassVar[str] = "An error occurred."

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.message("fr"))

    def message(self, locale: str = "fr") -> str:
        template = self.en if locale.startswith("en") else self.fr
        return template.format(**self.params)

    def __str__(self) -> str:
        return self.message("fr")
