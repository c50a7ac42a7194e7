"""E-mail addresses: the primary identifier between Sage 100 and the directory (rule 2)."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email


class EmailProblem(enum.StrEnum):
    MISSING = "missing"
    SEVERAL = "several"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class EmailCheck:
    raw: str | None
    normalized: str | None
    problem: EmailProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def normalize_email(raw: str) -> str:
    """The comparison form: trimmed, NFC, lower-cased (the raw value is kept for display)."""
    return unicodedata.normalize("NFC", raw.strip()).lower()


def check_email(raw: str | None) -> EmailCheck:
    """Normalise and validate an address; say why it cannot identify a person when it cannot."""
    if raw is None or not raw.strip():
        return EmailCheck(raw, None, EmailProblem.MISSING)
    normalized = normalize_email(raw)
    if normalized.count("@") > 1:
        return EmailCheck(raw, normalized, EmailProblem.SEVERAL)
    try:
        validate_email(normalized, check_deliverability=False)
    except EmailNotValidError:
        return EmailCheck(raw, normalized, EmailProblem.INVALID)
    return EmailCheck(raw, normalized, None)
