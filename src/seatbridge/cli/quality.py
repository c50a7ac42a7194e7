"""What the CLI prints of the rows a run set aside or cleaned (seatbridge.sage100.screening)."""

from __future__ import annotations

from seatbridge.cli.common import say, stdout
from seatbridge.i18n import _, render
from seatbridge.sage100.screening import RowReport

SHOWN = 20


def print_row_report(report: RowReport) -> None:
    """One line per table with rows set aside or cleaned, then the first rows with reasons."""
    for table, part in sorted(report.tables.items()):
        if part.missing_columns:
            line = _("{table} : colonnes absentes, lues comme vides : {columns}", table=table,
                     columns=", ".join(part.missing_columns))  # fmt: skip
            stdout.print("  " + say(line), markup=False, highlight=False, soft_wrap=True)
        if not (part.set_aside or part.cleaned):
            continue
        line = _("{table} : {aside} ligne(s) mise(s) de côté, {cleaned} valeur(s) corrigée(s)",
                 table=table, aside=part.set_aside, cleaned=part.cleaned)  # fmt: skip
        stdout.print("  " + say(line), markup=False, highlight=False, soft_wrap=True)
        for note in part.rows[:SHOWN]:
            where = f"cbMarq {note.cbmarq if note.cbmarq is not None else '?'}"
            mark = say(_("écartée") if note.set_aside else _("corrigée"))
            detail = say(render(note.text)) if note.text else note.detail
            stdout.print(
                f"    {where:<14} {mark:<9} {detail}", markup=False, highlight=False, soft_wrap=True
            )
        if len(part.rows) > SHOWN:
            more = _("… {n} de plus (--json pour tout voir)", n=len(part.rows) - SHOWN)
            stdout.print("    " + say(more), markup=False, highlight=False, soft_wrap=True)
