"""One connector per state file, on POSIX and Windows alike (a system lock, not a PID file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from seatbridge.connector.errors import StateFileError
from seatbridge.connector.state import StateLock


def test_a_second_connector_on_the_same_state_file_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "site" / "bijou.json"
    with StateLock(state):
        with pytest.raises(StateFileError) as refused, StateLock(state):
            pass
        assert "another connector" in refused.value.message("en")
        with StateLock(tmp_path / "nord.json"):  # another environment's file is free
            pass
    with StateLock(state):  # released on exit: the next run takes it
        pass
    assert (tmp_path / "site" / "bijou.json.lock").exists()


def test_an_unwritable_folder_is_one_state_file_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StateFileError), StateLock(blocker / "bijou.json"):
        pass
