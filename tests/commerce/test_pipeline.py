"""The replication's plumbing: the garbage collector's threshold while replications run."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from seatbridge.commerce.pipeline import REPLICATION_GC_THRESHOLD, fewer_collections


@pytest.fixture
def default_threshold() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*saved)


def test_raised_while_replicating_then_restored(default_threshold: tuple[int, int, int]) -> None:
    with fewer_collections():
        assert gc.get_threshold() == (REPLICATION_GC_THRESHOLD, 10, 10)
    assert gc.get_threshold() == default_threshold


def test_restored_after_a_failure(default_threshold: tuple[int, int, int]) -> None:
    with pytest.raises(ZeroDivisionError), fewer_collections():
        _ = 1 / 0
    assert gc.get_threshold() == default_threshold


def test_a_higher_setting_of_the_process_is_kept() -> None:
    saved = gc.get_threshold()
    gc.set_threshold(REPLICATION_GC_THRESHOLD * 2, 5, 5)
    try:
        with fewer_collections():
            assert gc.get_threshold() == (REPLICATION_GC_THRESHOLD * 2, 5, 5)
        assert gc.get_threshold() == (REPLICATION_GC_THRESHOLD * 2, 5, 5)
    finally:
        gc.set_threshold(*saved)


def test_overlapping_replications_restore_once_the_last_ends(
    default_threshold: tuple[int, int, int],
) -> None:
    """Two threads whose replications overlap and end in the other order than they began."""
    first_in, first_may_leave = threading.Event(), threading.Event()
    seen: dict[str, tuple[int, int, int]] = {}

    def first() -> None:
        with fewer_collections():
            first_in.set()
            first_may_leave.wait(5)
        seen["after first"] = gc.get_threshold()

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with fewer_collections():
        first_may_leave.set()
        thread.join(5)
        seen["second, first gone"] = gc.get_threshold()
    assert seen["after first"] == (REPLICATION_GC_THRESHOLD, 10, 10)
    assert seen["second, first gone"] == (REPLICATION_GC_THRESHOLD, 10, 10)
    assert gc.get_threshold() == default_threshold
