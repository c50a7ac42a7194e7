"""Row-level isolation: rows that cannot be used are set aside with a reason, the rest proceeds.

A real company holds what generated ones do not: a collaborator without ``CO_No``, a NUL byte
in a name, a text wider than the store's column, a date the driver cannot read, a document
without ``DO_Piece``, two rows with one business key. One such row must never stop a company.
Every consumer of Sage 100 records (the collaborator sync, the commerce replication; fed by a
direct read or by a connector's push) passes its batches through one `Screen`, which:

- **sets aside** a row whose business key is empty, whose key is too wide for the store, which
  repeats a key already read with another cbMarq (the later row wins: a key deleted and
  re-created during a read comes twice), or which holds a value that could not be read
  (`Unreadable`: an unparseable date or amount, a value of the wrong type from a connector);
- **cleans and keeps** a row where the meaning is clear: NUL bytes and lone surrogates removed,
  text trimmed to the store's width, each with a note;
- **notes** markup (``<script>``...) in a text: kept as Sage has it (every page escapes it).

What was set aside or cleaned goes to a `RowReport`: counts per table and reason, and the first
`MAX_LISTED` rows with their cbMarq, column and French reason, for the run's report.

The checks run a column of a batch at a time at C speed (`None in column`, one joined string
per text column); only a batch with a suspect value is looked at row by row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from seatbridge.i18n import N_, Text
from seatbridge.sage100.records import SPECS, Entity, Kind, Record

MAX_LISTED: Final = 200  # rows listed per table in a report (all are counted)


class Unreadable(str):
    """A value the reader (or the connector's decoding) could not convert, kept as its text.

    It travels in place of the typed value until the `Screen` sets its row aside."""

    __slots__ = ()


# Store widths of the text fields that are stored (seatbridge.sync.models.Collaborator and
# seatbridge.commerce.models), per entity; tests check them against the store's columns.
WIDTHS: Final[dict[Entity, dict[str, int]]] = {
    Entity.COLLABORATORS: {
        "CO_Nom": 35,
        "CO_Prenom": 35,
        "CO_Fonction": 35,
        "CO_Telephone": 21,
        "CO_TelPortable": 21,
        "CO_EMail": 69,
    },
    Entity.CUSTOMERS: {
        "CT_Num": 17,
        "CT_Intitule": 69,
        "CT_EMail": 69,
        "CT_Telephone": 21,
        "CT_CodePostal": 9,
        "CT_Ville": 35,
        "CT_Pays": 35,
    },
    Entity.DOCUMENT_HEADERS: {"DO_Piece": 13, "DO_Ref": 17, "DO_Tiers": 17},
    Entity.DOCUMENT_LINES: {"DO_Piece": 13, "CT_Num": 17, "AR_Ref": 19, "DL_Design": 69},
}

# The field a row cannot be identified without (lines are keyed by cbMarq, but a line without
# its document's DO_Piece belongs to nothing).
IDENTITY: Final[dict[Entity, tuple[str, ...]]] = {
    Entity.COLLABORATORS: ("CO_No",),
    Entity.CUSTOMERS: ("CT_Num",),
    Entity.DOCUMENT_HEADERS: ("DO_Type", "DO_Piece"),
    Entity.DOCUMENT_LINES: ("DO_Type", "DO_Piece"),
}

# Reason code -> French text (parameters: column, value, width, length, other).
REASONS: Final[dict[str, str]] = {
    "empty_key": N_("{column} est vide : la ligne ne peut pas être rattachée."),
    "no_cbmarq": N_("cbMarq est vide : la ligne ne peut pas être identifiée."),
    "key_too_long": N_(
        "{column} compte {length} caractères (au plus {width}) : une clé ne peut pas être tronquée."
    ),
    "duplicate_key": N_(
        "{column} {value} est aussi celui de la ligne cbMarq {other} : seule la dernière lue "
        "est gardée."
    ),
    "unreadable": N_("valeur illisible dans {column} : {value}."),
    "nul_removed": N_("caractère NUL retiré de {column}."),
    "invalid_text": N_("caractères invalides (UTF-16 isolés) remplacés dans {column}."),
    "trimmed": N_("{column} tronqué à {width} caractères (il en comptait {length})."),
    "markup": N_(
        "{column} contient du balisage (« {value} ») : affiché comme du texte, jamais interprété."
    ),
}
SET_ASIDE: Final = frozenset({"empty_key", "no_cbmarq", "key_too_long", "duplicate_key",
                              "unreadable"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class RowNote:
    """One row set aside (or cleaned), as a report lists it."""

    table: str
    cbmarq: int | None
    column: str | None
    reason: str  # a REASONS code
    detail: str  # in French
    set_aside: bool
    text: dict[str, Any] | None = None  # the detail as a stored Text (rendered per language)

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "cbMarq": self.cbmarq,
            "column": self.column,
            "reason": self.reason,
            "detail": self.detail,
            "set_aside": self.set_aside,
            "text": self.text,
        }


@dataclass
class TableReport:
    set_aside: int = 0
    cleaned: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    rows: list[RowNote] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "set_aside": self.set_aside,
            "cleaned": self.cleaned,
            "reasons": dict(sorted(self.reasons.items())),
            "rows": [note.as_dict() for note in self.rows],
            "missing_columns": list(self.missing_columns),
        }


@dataclass
class RowReport:
    """What a run set aside or cleaned, per Sage table."""

    tables: dict[str, TableReport] = field(default_factory=dict)

    def table(self, name: str) -> TableReport:
        return self.tables.setdefault(name, TableReport())

    def add(self, note: RowNote) -> None:
        report = self.table(note.table)
        if note.set_aside:
            report.set_aside += 1
        else:
            report.cleaned += 1
        report.reasons[note.reason] = report.reasons.get(note.reason, 0) + 1
        if len(report.rows) < MAX_LISTED:
            report.rows.append(note)

    def note_missing(self, table: str, columns: Iterable[str]) -> None:
        report = self.table(table)
        report.missing_columns = sorted({*report.missing_columns, *columns})

    def merge(self, other: RowReport | dict[str, Any] | None) -> None:
        if other is None:
            return
        if isinstance(other, dict):
            other = RowReport.from_dict(other)
        for name, theirs in other.tables.items():
            mine = self.table(name)
            mine.set_aside += theirs.set_aside
            mine.cleaned += theirs.cleaned
            for reason, count in theirs.reasons.items():
                mine.reasons[reason] = mine.reasons.get(reason, 0) + count
            mine.rows.extend(theirs.rows[: max(0, MAX_LISTED - len(mine.rows))])
            mine.missing_columns = sorted({*mine.missing_columns, *theirs.missing_columns})

    @property
    def set_aside(self) -> int:
        return sum(report.set_aside for report in self.tables.values())

    @property
    def cleaned(self) -> int:
        return sum(report.cleaned for report in self.tables.values())

    def __bool__(self) -> bool:
        return any(
            report.set_aside or report.cleaned or report.missing_columns
            for report in self.tables.values()
        )

    def as_dict(self) -> dict[str, Any]:
        return {name: report.as_dict() for name, report in sorted(self.tables.items())}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> RowReport:
        report = cls()
        for name, table in (data or {}).items():
            target = report.table(name)
            target.set_aside = int(table.get("set_aside", 0))
            target.cleaned = int(table.get("cleaned", 0))
            target.reasons = {str(k): int(v) for k, v in table.get("reasons", {}).items()}
            target.missing_columns = list(table.get("missing_columns", []))
            target.rows = [
                RowNote(
                    table=name,
                    cbmarq=row.get("cbMarq"),
                    column=row.get("column"),
                    reason=str(row.get("reason", "")),
                    detail=str(row.get("detail", "")),
                    set_aside=bool(row.get("set_aside")),
                    text=row.get("text"),
                )
                for row in table.get("rows", [])
            ]
        return report


def merged_reports(earlier: dict[str, Any] | None, later: dict[str, Any] | None) -> dict[str, Any]:
    """Two stored reports as one: each row once (by table, cbMarq, column and reason), the
    later's first, at most MAX_LISTED per table; counts are those of the rows listed."""
    merged = RowReport()
    seen: set[tuple[Any, ...]] = set()
    for stored in (later, earlier):
        for name, part in RowReport.from_dict(stored).tables.items():
            target = merged.table(name)
            target.missing_columns = sorted({*target.missing_columns, *part.missing_columns})
            for note in part.rows:
                key = (note.table, note.cbmarq, note.column, note.reason)
                if key not in seen:
                    seen.add(key)
                    merged.add(note)
    return merged.as_dict()


def _shown(value: Any, limit: int = 40) -> str:
    text = str(value).replace("\x00", "\\0")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Screen:
    """Screens the batches of one entity's read; `report` gathers what it set aside.

    `across_batches`: remember keys over the whole read (collaborators and customers: tens of
    thousands at most) rather than within a batch (documents: millions)."""

    def __init__(
        self, entity: Entity | str, report: RowReport | None = None, *, across_batches: bool = True
    ) -> None:
        self.entity = Entity(entity)
        spec = SPECS[self.entity]
        self.table = spec.table
        self.report = report if report is not None else RowReport()
        self.report.table(self.table)
        fields = spec.fields
        kinds = dict(zip(fields, spec.kinds, strict=True))
        self._fields = fields
        self._cbmarq_at = fields.index("cbMarq")
        self._identity = [(name, fields.index(name)) for name in IDENTITY[self.entity]]
        self._key_at = [fields.index(name) for name in spec.key] or [self._cbmarq_at]
        self._key_names = spec.key or ("cbMarq",)
        widths = WIDTHS[self.entity]
        self._texts = [
            (name, fields.index(name), widths.get(name))
            for name in fields
            if kinds[name] is Kind.TEXT
        ]
        self._typed = [fields.index(name) for name in fields if kinds[name] is not Kind.TEXT]
        self._key_widths = {name: widths[name] for name in spec.key if name in widths}
        self._across = across_batches
        self._seen: dict[Any, int] = {}

    def batch(self, records: Sequence[Record]) -> list[Record]:
        """The records to use, cleaned; the others are reported."""
        if not records:
            return []
        columns = list(zip(*records, strict=True))
        bad: dict[int, RowNote] = {}
        fixes: dict[int, dict[int, Any]] = {}
        self._check_identity(records, columns, bad)
        self._check_unreadable(records, columns, bad)
        self._check_texts(records, columns, bad, fixes)
        kept = self._check_duplicates(records, bad)
        out: list[Record] = []
        for index, record in enumerate(records):
            if index in bad or index not in kept:
                continue
            if index in fixes:
                values = list(record)
                for at, value in fixes[index].items():
                    values[at] = value
                record = type(record)._make(values)
            out.append(record)
        for note in bad.values():
            self.report.add(note)
        return out

    def _note(self, record: Record, column: str | None, reason: str, **params: Any) -> RowNote:
        cbmarq = record[self._cbmarq_at]
        text = Text(REASONS[reason], column=column, **params)
        return RowNote(
            table=self.table,
            cbmarq=cbmarq if isinstance(cbmarq, int) and not isinstance(cbmarq, bool) else None,
            column=column,
            reason=reason,
            detail=text.render(),
            set_aside=reason in SET_ASIDE,
            text=text.to_json(),
        )

    def _check_identity(
        self, records: Sequence[Record], columns: list[tuple[Any, ...]], bad: dict[int, RowNote]
    ) -> None:
        if None in columns[self._cbmarq_at]:
            for index, record in enumerate(records):
                if record[self._cbmarq_at] is None:
                    bad[index] = self._note(record, "cbMarq", "no_cbmarq")
        for name, at in self._identity:
            if None in columns[at]:
                for index, record in enumerate(records):
                    if record[at] is None and index not in bad:
                        bad[index] = self._note(record, name, "empty_key")
            width = self._key_widths.get(name)
            if width is not None:
                values = [v for v in columns[at] if type(v) is str]
                if values and max(map(len, values)) > width:
                    for index, record in enumerate(records):
                        value = record[at]
                        if type(value) is str and len(value) > width and index not in bad:
                            bad[index] = self._note(
                                record, name, "key_too_long", width=width, length=len(value)
                            )

    def _check_unreadable(
        self, records: Sequence[Record], columns: list[tuple[Any, ...]], bad: dict[int, RowNote]
    ) -> None:
        for at in range(len(columns)):
            if Unreadable not in set(map(type, columns[at])):
                continue
            for index, record in enumerate(records):
                value = record[at]
                if isinstance(value, Unreadable) and index not in bad:
                    bad[index] = self._note(
                        record, self._fields[at], "unreadable", value=_shown(value)
                    )

    def _check_texts(
        self,
        records: Sequence[Record],
        columns: list[tuple[Any, ...]],
        bad: dict[int, RowNote],
        fixes: dict[int, dict[int, Any]],
    ) -> None:
        for name, at, width in self._texts:
            values = [v for v in columns[at] if type(v) is str]
            if not values:
                continue
            joined = "\x01".join(values)
            suspect_nul = "\x00" in joined
            suspect_surrogate = not joined.isascii() and _has_surrogates(joined)
            suspect_width = width is not None and max(map(len, values)) > width
            suspect_markup = "<" in joined
            if not (suspect_nul or suspect_surrogate or suspect_width or suspect_markup):
                continue
            for index, record in enumerate(records):
                value = record[at]
                if type(value) is not str or index in bad:
                    continue
                fixed = value
                if suspect_nul and "\x00" in fixed:
                    fixed = (fixed.replace("\x00", "").strip()) or None  # type: ignore[assignment]
                    self.report.add(self._note(record, name, "nul_removed"))
                if fixed and suspect_surrogate and _has_surrogates(fixed):
                    fixed = fixed.encode("utf-8", "replace").decode("utf-8")
                    self.report.add(self._note(record, name, "invalid_text"))
                if fixed and width is not None and len(fixed) > width:
                    self.report.add(
                        self._note(record, name, "trimmed", width=width, length=len(fixed))
                    )
                    fixed = fixed[:width].rstrip()
                if fixed and suspect_markup and _looks_like_markup(fixed):
                    self.report.add(self._note(record, name, "markup", value=_shown(fixed)))
                if fixed != value:
                    if fixed is None and (name, at) in self._identity:
                        bad[index] = self._note(record, name, "empty_key")
                        continue
                    fixes.setdefault(index, {})[at] = fixed

    def _check_duplicates(self, records: Sequence[Record], bad: dict[int, RowNote]) -> set[int]:
        """Indexes to keep: per key, the last row read (a key re-created during the read comes
        twice: the later is the live one); the same row read twice (same cbMarq) is no
        duplicate."""
        seen = self._seen if self._across else {}
        latest: dict[Any, int] = {}
        positions = self._key_at
        marq_at = self._cbmarq_at
        kept: set[int] = set()
        for index, record in enumerate(records):
            if index in bad:
                continue
            key = tuple(record[at] for at in positions)
            cbmarq: Any = record[marq_at]
            previous = latest.get(key)
            if previous is not None:
                earlier = records[previous]
                if earlier[marq_at] != cbmarq:
                    self.report.add(self._duplicate(earlier, key, cbmarq))
                kept.discard(previous)
            elif self._across and key in seen and seen[key] != cbmarq:
                # Read in an earlier batch: it is already used; this later row replaces it.
                self.report.add(self._duplicate_previous(record, key, seen[key]))
            latest[key] = index
            kept.add(index)
            if self._across:
                seen[key] = cbmarq
        return kept

    def _duplicate(self, record: Record, key: tuple[Any, ...], other: Any) -> RowNote:
        column = " + ".join(self._key_names)
        value = " / ".join(map(str, key))
        return self._note(record, column, "duplicate_key", value=value, other=other)

    def _duplicate_previous(self, record: Record, key: tuple[Any, ...], other: int) -> RowNote:
        """The earlier row (cbMarq `other`, in a previous batch) is the one set aside."""
        column = " + ".join(self._key_names)
        value = " / ".join(map(str, key))
        text = Text(REASONS["duplicate_key"], column=column, value=value,
                    other=record[self._cbmarq_at])  # fmt: skip
        return RowNote(
            table=self.table,
            cbmarq=other,
            column=column,
            reason="duplicate_key",
            detail=text.render(),
            set_aside=True,
            text=text.to_json(),
        )

    def missing(self, columns: Iterable[str]) -> None:
        self.report.note_missing(self.table, columns)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _looks_like_markup(text: str) -> bool:
    at = text.find("<")
    while at != -1:
        following = text[at + 1 : at + 2]
        if following.isalpha() or following in ("/", "!", "?"):
            return True
        at = text.find("<", at + 1)
    return False
