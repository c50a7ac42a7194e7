"""Reader records and keys as JSON rows, both ways, and the content hash that names a batch.

A record travels as a list of values in the order of the batch's `fields` (the Sage column
names): dates as ISO text without a zone, amounts as decimal text, the rest as JSON has them.
Decoding checks every value's type, so what is staged is exactly what a direct read yields.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import types
import zlib
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Union, get_args, get_origin, get_type_hints

from seatbridge.ingest.wire import EntityName
from seatbridge.sage100.records import SPECS, Entity, Kind, Record, RowKey
from seatbridge.sage100.screening import Unreadable

MAX_TEXT: Final = 4000
_LIMIT: Final = 2**63

SAGE_ENTITIES: Final[dict[EntityName, Entity]] = {
    "collaborators": Entity.COLLABORATORS,
    "customers": Entity.CUSTOMERS,
    "document_headers": Entity.DOCUMENT_HEADERS,
    "document_lines": Entity.DOCUMENT_LINES,
}
WIRE_NAMES: Final[dict[Entity, EntityName]] = {v: k for k, v in SAGE_ENTITIES.items()}

Decoder = Callable[[Any], Any]


def canonical(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def batch_id(
    entity: str, kind: str, sequence: int, fields: Sequence[str] | None, rows: Sequence[Any]
) -> str:
    """The name of a batch: a hash of everything in it, so that equal batches share it."""
    content = canonical([entity, kind, sequence, list(fields or ()), rows])
    return hashlib.sha256(content).hexdigest()[:32]


def pack(rows: Sequence[Any]) -> bytes:
    return gzip.compress(canonical(rows), compresslevel=1)


def unpack(payload: bytes) -> list[Any]:
    rows = json.loads(gzip.decompress(payload))
    if not isinstance(rows, list):
        raise ValueError("a staged batch is a list of rows")
    return rows


def inflate(body: bytes, limit: int) -> bytes:
    """Decompress a gzip body, refusing (ValueError) to grow it past `limit` bytes."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as error:
        raise ValueError(f"the body is not valid gzip ({error})") from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise OverflowError(limit)
    if not inflater.eof:
        raise ValueError("the gzip body is truncated")
    return data


# Encoding (the connector)


def _encode_stamp(value: dt.datetime | None) -> str | None:
    # An Unreadable value (a str) travels as its text: the server sets its row aside.
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _encode_money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def encode_records(entity: Entity, records: Iterable[Record]) -> tuple[list[str], list[list[Any]]]:
    spec = SPECS[entity]
    converted = [
        (index, _encode_stamp if kind is Kind.STAMP else _encode_money)
        for index, kind in enumerate(spec.kinds)
        if kind in (Kind.STAMP, Kind.MONEY)
    ]
    rows = []
    for record in records:
        row: list[Any] = list(record)
        for index, encode in converted:
            row[index] = encode(row[index])
        rows.append(row)
    return list(spec.fields), rows


def encode_keys(entity: Entity, keys: Iterable[RowKey]) -> list[list[Any]]:
    width = len(SPECS[entity].key)
    if width == 0:
        return [[key.cbMarq] for key in keys]
    if width == 1:
        return [[key.key, key.cbMarq] for key in keys]
    return [[*key.key, key.cbMarq] for key in keys]


# Decoding (the server)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("text expected")
    if len(value) > MAX_TEXT:
        raise ValueError(f"text longer than {MAX_TEXT} characters")
    return value


def _integer(value: Any) -> int:
    if type(value) is not int or not -_LIMIT <= value < _LIMIT:
        raise ValueError("integer expected")
    return value


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise ValueError("true or false expected")
    return value


def _stamp(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("ISO date text expected")
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        raise ValueError("a Sage time has no zone")
    return parsed


def _money(value: Any) -> Decimal:
    if type(value) is int:
        return Decimal(value)
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("decimal text expected")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError("decimal text expected") from None
    if not amount.is_finite():
        raise ValueError("finite amount expected")
    return amount


_DECODERS: Final[dict[Kind, Decoder]] = {
    Kind.TEXT: _text,
    Kind.INT: _integer,
    Kind.REF: _integer,
    Kind.FLAG: _flag,
    Kind.STAMP: _stamp,
    Kind.MONEY: _money,
}


def _nullable(record: type[Any], field: str) -> bool:
    hint = get_type_hints(record)[field]
    is_union = get_origin(hint) in (Union, types.UnionType)
    return is_union and type(None) in get_args(hint)


def _field_decoders(entity: Entity) -> dict[str, tuple[Decoder, bool]]:
    """Per field: its decoder, and whether it may be null. The reader turns NULL flags into
    False (None only where the column is missing) and never yields a row without cbMarq;
    any other value may be null, as in the database."""
    spec = SPECS[entity]
    decoders = {}
    for name, kind in zip(spec.fields, spec.kinds, strict=True):
        nullable = _nullable(spec.record, name) if kind is Kind.FLAG else name != "cbMarq"
        decoders[name] = (_DECODERS[kind], nullable)
    return decoders


_FIELDS: Final = {entity: _field_decoders(entity) for entity in Entity}


def decode_records(entity: Entity, fields: Sequence[str], rows: Sequence[Any]) -> list[Record]:
    """Records from JSON rows. ValueError says what is wrong with the batch's shape (fields,
    row lengths); a value that cannot be decoded becomes `Unreadable` (its row is set aside
    when the engines screen it)."""
    spec, known = SPECS[entity], _FIELDS[entity]
    unknown = [name for name in fields if name not in known]
    if unknown or len(set(fields)) != len(fields):
        raise ValueError(f"unknown or repeated fields: {', '.join(unknown) or 'repeated'}")
    missing = [name for name in spec.fields if name not in fields and name not in spec.optional]
    if missing:
        raise ValueError(f"fields missing: {', '.join(missing)}")
    position = {name: index for index, name in enumerate(fields)}
    plan = [(position.get(name), *known[name], name) for name in spec.fields]
    make = spec.record._make  # type: ignore[attr-defined]
    records: list[Record] = []
    for number, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(fields):
            raise ValueError(f"row {number}: {len(fields)} values expected")
        values: list[Any] = []
        for at, decode, nullable, name in plan:
            value = None if at is None else row[at]
            if value is None:
                # A required value missing (cbMarq, a flag): the row is set aside downstream.
                values.append(None if nullable or name == "cbMarq" else Unreadable("NULL"))
                continue
            try:
                values.append(decode(value))
            except (ValueError, TypeError, ArithmeticError):
                # One bad value sets its row aside (seatbridge.sage100.screening), not the batch.
                values.append(Unreadable(_shown(value)))
        records.append(make(values))
    return records


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text[:60]


def decode_keys(entity: Entity, rows: Sequence[Any]) -> list[RowKey]:
    """Row keys from JSON rows [key parts..., cbMarq]; ValueError says which row is wrong."""
    spec = SPECS[entity]
    kinds = [spec.kinds[spec.fields.index(name)] for name in spec.key]
    decoders = [_DECODERS[kind] for kind in kinds]
    width = len(decoders)
    keys = []
    for number, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != width + 1:
            raise ValueError(f"row {number}: {width + 1} values expected")
        try:
            parts = [
                None if value is None else decode(value)
                for decode, value in zip(decoders, row, strict=False)
            ]
            cbmarq = _integer(row[-1])
        except ValueError as error:
            raise ValueError(f"row {number}: {error}") from None
        key = cbmarq if width == 0 else parts[0] if width == 1 else tuple(parts)
        keys.append(RowKey(key, cbmarq))
    return keys


def record_key(entity: Entity) -> Callable[[Any], RowKey]:
    """The (business key, cbMarq) of a record, as the reader's key scan gives it."""
    names = SPECS[entity].key
    if not names:
        return lambda record: RowKey(record.cbMarq, record.cbMarq)
    if len(names) == 1:
        name = names[0]
        return lambda record: RowKey(getattr(record, name), record.cbMarq)
    return lambda record: RowKey(tuple(getattr(record, n) for n in names), record.cbMarq)
