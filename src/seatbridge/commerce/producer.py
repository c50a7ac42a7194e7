"""Reading and converting a large entity in a child process, while this one writes.

A full replication is bound by the GIL, not by the cores: fetching, cleaning and converting
millions of rows is Python work, and so is binding them to the store's statements. In one
process both share one GIL (measured: it is held about 85 % of a full run while the second core
waits). `Producer` moves the reading and converting to a child process with its own GIL; this
process receives converted batches (pickled) and writes them as before. Used for full runs of
large entities only: starting the child costs about half a second.

The child is ``python -m seatbridge.commerce.producer`` (a plain subprocess: no main module
re-imported, whatever embeds the replication). It reads its `Job` (pickled) on stdin, re-opens
the Sage 100 database from the reader's URL and options, and writes length-prefixed pickled
frames on stdout, in order: ``("rows", rows, read)`` per batch, then ``("end", watermark,
rows set aside)``; or
``("error", message)`` (a stored `Text`) when the read fails the way a reader fails
(`SeatbridgeError`). If this process dies, the child's next write fails and it stops; if the
child dies, this process sees its output end without an end frame and raises.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import IO, Any, Final

from seatbridge.commerce.errors import ProducerFailed
from seatbridge.commerce.pipeline import deduplicator, fewer_collections, groups
from seatbridge.commerce.rows import SPECS, Copied, RowConverter, StoreRow
from seatbridge.errors import SeatbridgeError
from seatbridge.i18n import _, from_json
from seatbridge.sage100.records import Watermark
from seatbridge.sage100.screening import RowReport, Screen

_LENGTH: Final = struct.Struct("!Q")


@dataclass(frozen=True)
class ReaderSpec:
    """What a child process needs to open the same Sage 100 database the same way."""

    url: str  # with its password: passed through a pipe to our own child, never logged
    options: dict[str, Any]


@dataclass(frozen=True)
class Job:
    reader: ReaderSpec
    copied: Copied
    since: Watermark | None
    account_id: int
    environment_id: int
    dialect: str
    batch_rows: int


class Producer:
    """Converted batches from a child process; `following` is known once they are all read."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._following: Watermark | None = None
        self.report = RowReport()  # what the child set aside, once `batches` has ended
        self._process = subprocess.Popen(
            [sys.executable, "-m", "seatbridge.commerce.producer"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._process.stdin is not None and self._process.stdout is not None  # noqa: S101
        self._output: IO[bytes] = self._process.stdout
        try:
            self._process.stdin.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            self._process.stdin.close()
        except BrokenPipeError:
            pass  # the child died at once: `batches` reports it

    def batches(self) -> Iterator[tuple[Sequence[StoreRow], int]]:
        """(converted rows, records read) per batch; raises when the child fails."""
        while True:
            message = self._receive()
            kind = message[0]
            if kind == "rows":
                yield message[1], message[2]
            elif kind == "end":
                self._following = message[1]
                self.report = RowReport.from_dict(message[2])
                return
            else:
                raise ProducerFailed(reason=from_json(message[1]))

    def _receive(self) -> tuple[Any, ...]:
        header = self._output.read(_LENGTH.size)
        payload = (
            self._output.read(_LENGTH.unpack(header)[0]) if len(header) == _LENGTH.size else b""
        )
        if not payload:
            code = self._process.wait()
            raise ProducerFailed(
                reason=_("le processus de lecture s'est arrêté (code {code}).", code=code),
            )
        message: tuple[Any, ...] = pickle.loads(payload)  # noqa: S301 (our own child)
        return message

    @property
    def following(self) -> Watermark:
        """The watermark the read leads to, once `batches` has ended."""
        if self._following is None:
            raise RuntimeError("the watermark is known once every batch has been received")
        return self._following

    def close(self) -> None:
        self._output.close()  # a child still writing gets a broken pipe and stops
        try:
            self._process.wait(5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> Producer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def main() -> None:
    """The child: read the job on stdin, then read, convert and send every batch."""
    job: Job = pickle.load(sys.stdin.buffer)  # noqa: S301 (sent by our own parent)
    frames = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt a frame
    with suppress(BrokenPipeError):  # the parent is gone or has stopped reading
        _produce(job, frames)


def _produce(job: Job, frames: IO[bytes]) -> None:
    from seatbridge.sage100.reader import Sage100Reader

    def send(message: tuple[Any, ...]) -> None:
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        frames.write(_LENGTH.pack(len(payload)))
        frames.write(payload)
        frames.flush()

    converter = RowConverter(
        account_id=job.account_id, environment_id=job.environment_id, dialect=job.dialect
    )
    unique = deduplicator(SPECS[job.copied])
    report = RowReport()
    screen = Screen(job.copied.source, report, across_batches=job.copied is Copied.CUSTOMERS)
    try:
        with fewer_collections(), Sage100Reader(job.reader.url, **job.reader.options) as reader:
            changes = reader.read_changes(job.copied.source, job.since)
            for group in groups(changes, job.batch_rows):
                kept = screen.batch(group)
                send(("rows", unique(converter.convert(job.copied, kept)), len(group)))
            send(("end", changes.following, report.as_dict()))
    except SeatbridgeError as error:
        send(("error", error.text.to_json()))


if __name__ == "__main__":
    main()
