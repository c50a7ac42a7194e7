"""What an activation code grants, and where it stands on a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any


class Edition(StrEnum):
    STARTER = "starter"
    ADVANCED = "advanced"


class LicenseStatus(StrEnum):
    VALID = "valid"
    GRACE = "grace"
    EXPIRED = "expired"


@dataclass(frozen=True)
class LicenseTerms:
    """The signed content of one activation code."""

    customer: str
    edition: Edition
    seats: int
    max_environments: int
    issued_on: date
    expires_on: date
    grace_days: int
    serial: str
    key_id: str

    @property
    def grace_ends_on(self) -> date:
        """The last day users keep access after expiry (the expiry day itself when no grace)."""
        return self.expires_on + timedelta(days=self.grace_days)

    def status(self, today: date) -> LicenseStatus:
        """VALID up to and including `expires_on`, GRACE `grace_days` days more, then EXPIRED."""
        if today <= self.expires_on:
            return LicenseStatus.VALID
        if today <= self.grace_ends_on:
            return LicenseStatus.GRACE
        return LicenseStatus.EXPIRED

    def days_left(self, today: date) -> int:
        """Days from `today` to `expires_on`: 0 on the expiry day, negative once it has passed."""
        return (self.expires_on - today).days

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready terms (dates as ISO strings), as the CLI and API show them."""
        return {
            "customer": self.customer,
            "edition": self.edition.value,
            "seats": self.seats,
            "max_environments": self.max_environments,
            "issued_on": self.issued_on.isoformat(),
            "expires_on": self.expires_on.isoformat(),
            "grace_days": self.grace_days,
            "grace_ends_on": self.grace_ends_on.isoformat(),
            "serial": self.serial,
            "key_id": self.key_id,
        }
