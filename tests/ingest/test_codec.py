"""Records and keys survive the trip through JSON exactly; bodies cannot grow without bound."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from seatbridge.ingest.codec import (
    SAGE_ENTITIES,
    decode_keys,
    decode_records,
    encode_keys,
    encode_records,
    inflate,
    record_key,
)
from seatbridge.sage100.reader import Sage100Reader


@pytest.mark.parametrize("name", list(SAGE_ENTITIES))
def test_every_record_read_comes_back_identical(sage: Path, name: str) -> None:
    entity = SAGE_ENTITIES[name]
    with Sage100Reader(f"sqlite:///{sage}") as reader:
        records = list(reader.read(entity))
        keys = list(reader.scan_keys(entity))
    fields, rows = encode_records(entity, records)
    travelled = json.loads(json.dumps(rows))
    assert decode_records(entity, fields, travelled) == records
    assert decode_keys(entity, json.loads(json.dumps(encode_keys(entity, keys)))) == keys
    # A full read's records give the keys a key scan gives.
    assert [record_key(entity)(record) for record in records] == keys


def test_fields_may_come_in_any_order_and_optional_ones_may_be_missing(sage: Path) -> None:
    entity = SAGE_ENTITIES["collaborators"]
    with Sage100Reader(f"sqlite:///{sage}") as reader:
        records = list(reader.read(entity))[:3]
    fields, rows = encode_records(entity, records)
    kept = [i for i, name in enumerate(fields) if name != "CO_Sommeil"][::-1]
    decoded = decode_records(
        entity, [fields[i] for i in kept], [[r[i] for i in kept] for r in rows]
    )
    assert [record._replace(CO_Sommeil=None) for record in records] == decoded
    with pytest.raises(ValueError, match="fields missing: CO_No"):
        decode_records(entity, fields[1:], [row[1:] for row in rows])
    with pytest.raises(ValueError, match="unknown or repeated fields: CO_Secret"):
        decode_records(entity, [*fields, "CO_Secret"], [[*row, 1] for row in rows])


def test_a_compressed_body_cannot_inflate_past_the_limit() -> None:
    bomb = gzip.compress(b"0" * 5_000_000)
    assert len(bomb) < 10_000
    with pytest.raises(OverflowError):
        inflate(bomb, 1_000_000)
    assert inflate(gzip.compress(b"[1, 2]"), 100) == b"[1, 2]"
    with pytest.raises(ValueError, match="truncated"):
        inflate(gzip.compress(b"[1, 2, 3, 4]")[:-6], 100)
    with pytest.raises(ValueError, match="not valid gzip"):
        inflate(b"plain text", 100)
