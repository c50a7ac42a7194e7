"""The shared status table names real error classes, and costs nothing to import."""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
import sys

import pytest

from seatbridge.error_status import SEAT_ERRORS, STATUS, status_of
from seatbridge.errors import SeatbridgeError


@pytest.mark.parametrize("name", [name for name, _ in STATUS] + list(SEAT_ERRORS))
def test_every_name_is_a_seatbridge_error(name: str) -> None:
    module, _, attribute = name.rpartition(".")
    cls = getattr(importlib.import_module(module), attribute)
    assert isinstance(cls, type) and issubclass(cls, SeatbridgeError)


def test_a_subclass_gets_its_parent_status_and_the_first_match_wins() -> None:
    from seatbridge.accounts.errors import AccountNotFound, SeatLimitReached
    from seatbridge.licensing.errors import ExpiredCode, TruncatedCode

    assert status_of(AccountNotFound(account="x")) == 404
    assert status_of(SeatLimitReached(free=0, total=2, used=2, requested=1)) == 409
    assert status_of(ExpiredCode(expires_on=dt.date(2020, 1, 1))) == 403
    assert status_of(TruncatedCode(found=3, expected=52)) == 400


def test_importing_the_table_loads_no_domain_module() -> None:
    code = "import sys, seatbridge.error_status as s; print(sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout
    assert "seatbridge.licensing" not in loaded and "seatbridge.mail" not in loaded
    assert "cryptography" not in loaded and "jinja2" not in loaded
