"""The connector's local state file: the run in flight, and the last commit the server confirmed.

Reads always start from what the server says it applied (`GET /connector/state`): a lost or
stale file costs nothing but a warning. The file is what lets a connector that was killed
resume its open run instead of reading and sending everything again. It is written atomically
(a temporary file in the same folder, flushed, then renamed over the old one), and only once
the server has answered.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from seatbridge.connector.errors import StateFileError

VERSION: Final = 1


@dataclass
class OpenRun:
    """A run opened on the server and not yet committed."""

    run_id: int
    connector_run_id: str
    batch_rows: int  # a resumed run is cut the same way, so unchanged batches keep their ids


@dataclass
class LocalState:
    server: str
    environment_id: int
    open_run: OpenRun | None = None
    # The server's watermarks after the last confirmed commit, by entity.
    watermarks: dict[str, Any] = field(default_factory=dict)
    committed_at: str | None = None
    last_run_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"version": VERSION, **asdict(self)}


def load_state(path: Path) -> LocalState | None:
    """The saved state, or None when there is none yet."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StateFileError(path=str(path), detail=error.strerror or str(error)) from None
    try:
        data = json.loads(raw)
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')!r}, expected {VERSION}")
        open_run = data.get("open_run")
        return LocalState(
            server=str(data["server"]),
            environment_id=int(data["environment_id"]),
            open_run=OpenRun(**open_run) if open_run else None,
            watermarks=dict(data.get("watermarks") or {}),
            committed_at=data.get("committed_at"),
            last_run_id=data.get("last_run_id"),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise StateFileError(
            path=str(path), detail=f"{error} (delete it: the server's state is used instead)"
        ) from None


def save_state(path: Path, state: LocalState) -> None:
    """Replace the file in one step: a crash leaves the old state or the new one, never half."""
    path = path.absolute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(state.as_dict(), file, indent=2, default=str)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_folder(path.parent)
    except OSError as error:
        raise StateFileError(path=str(path), detail=error.strerror or str(error)) from None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles to flush)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class StateLock:
    """One connector per state file: an exclusive, non-blocking lock on `<state>.lock`, held for
    the process's life and released by the system if it dies. POSIX uses `fcntl.flock`, Windows
    `msvcrt.locking` on the file's first byte (docs/connector.md, "Windows")."""

    def __init__(self, state_path: Path) -> None:
        self.path = state_path.absolute().with_name(state_path.name + ".lock")
        self._file: Any = None

    def __enter__(self) -> StateLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "a+b")
        except OSError as error:
            raise StateFileError(path=str(self.path), detail=error.strerror or str(error)) from None
        try:
            if os.name == "nt":
                import msvcrt

                self._file.seek(0)
                msvcrt.locking(self._file.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            else:
                import fcntl

                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._file.close()
            raise StateFileError(
                path=str(self.path),
                detail="another connector is running with this state file",
            ) from None
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._file is not None:
            self._file.close()  # closing releases the lock on both systems
            self._file = None
