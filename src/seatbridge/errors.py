"""The root of every domain's error hierarchy.

Each error class carries a stable ``code`` (for APIs and tests) and a French ``template`` marked
with ``N_``: the msgid of the one catalogue (seatbridge.i18n), English comes from the .po. Edges
show ``error.message(locale)``; ``str()`` is the French message. A parameter may be a `Text`
(a reason, an action): it is rendered in the same language. No edge ever shows a stack trace.
"""

from __future__ import annotations

from typing import Any, ClassVar

from seatbridge.i18n import N_, SUPPORTED_LOCALES, Text

__all__ = ["SUPPORTED_LOCALES", "SeatbridgeError", "ValueOutOfRange", "is_out_of_range"]


class SeatbridgeError(Exception):
    """A failure that an edge can explain to a person in one or two sentences."""

    code: ClassVar[str] = "error"
    template: ClassVar[str] = N_("Une erreur est survenue.")

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.message("fr"))

    @property
    def text(self) -> Text:
        """The message, still to be rendered in its reader's language."""
        return Text(self.template, **self.params)

    def message(self, locale: str = "fr") -> str:
        return self.text.render(locale)

    def __str__(self) -> str:
        return self.message("fr")


class ValueOutOfRange(SeatbridgeError):
    """An id, number or date beyond what the store or the calendar can hold (e.g. an id of 20
    digits, year 1 at +14:00): it cannot name anything, so the request is refused as invalid."""

    code: ClassVar[str] = "value_out_of_range"
    template: ClassVar[str] = N_(
        "Une valeur de la requête est hors des limites acceptées : vérifiez les identifiants, "
        "les nombres et les dates."
    )


# What a driver or the standard library raises for such a value (sqlalchemy's DataError wraps
# PostgreSQL's "numeric value out of range"; SQLite and datetime raise OverflowError).
def is_out_of_range(error: BaseException) -> bool:
    from sqlalchemy.exc import DataError

    return isinstance(error, OverflowError | DataError)
