"""« Qualité des données Sage 100 »: what an admin should fix in Sage, for one environment.

One use case, one place: the Admin page, `seatbridge env quality`, the API route and the CSV
export all call `data_quality`. It lists, each with the Sage field to correct:

- collaborators that cannot be invited and why (no e-mail, an invalid one, several addresses in
  one field, an address shared with other collaborators — named);
- the Sage rows the last runs set aside (the collaborators' last sync run, the commerce
  replication's last run of each entity), with the column and the reason;
- customers without a representative (`F_COMPTET.CO_No` empty or unknown: in nobody's
  portfolio);
- sales documents that belong to nobody (their own `CO_No` and their customer's are both empty
  or unknown).

Everything is read from the store (the collaborator mirror, the commerce copies, the runs): the
page costs no Sage 100 read. Every query is scoped to the account.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from seatbridge.accounts.errors import EnvironmentNotFound
from seatbridge.accounts.models import Environment
from seatbridge.commerce.models import CommerceCustomer, CommerceDocument
from seatbridge.i18n import N_, Text, _, from_json, render
from seatbridge.sage100.screening import RowReport
from seatbridge.sync.models import Collaborator, NotInvitable, RunStatus, SyncRun, SyncWatermark

DEFAULT_LIMIT: Final = 200  # items listed per section (all are counted)

SECTIONS: Final = {
    "collaborators": N_("Collaborateurs non invitables"),
    "rows_set_aside": N_("Lignes Sage 100 mises de côté"),
    "customers_without_rep": N_("Clients sans représentant"),
    "documents_without_rep": N_("Documents de vente sans représentant"),
}
_WHY: Final = {
    NotInvitable.NO_EMAIL.value: N_("pas d'adresse e-mail"),
    NotInvitable.INVALID_EMAIL.value: N_("adresse e-mail invalide : {email}"),
    NotInvitable.SEVERAL_EMAILS.value: N_("plusieurs adresses dans un seul champ : {email}"),
    NotInvitable.SHARED_EMAIL.value: N_("adresse {email} partagée avec {others}"),
}
CSV_HEADER: Final = (
    N_("Rubrique"),
    N_("Table Sage"),
    N_("Clé"),
    N_("Nom"),
    N_("Problème"),
    N_("Champ à corriger"),
)


@dataclass(frozen=True)
class QualityItem:
    table: str  # the Sage table to fix it in
    key: str  # CO_No 12, CT_Num CARAT, FA00042, cbMarq 3
    name: str | None
    problem: Text
    fix: Text  # the Sage field to correct

    def as_dict(self, locale: str | None = None) -> dict[str, Any]:
        return {
            "table": self.table,
            "key": self.key,
            "name": self.name,
            "problem": self.problem.render(locale),
            "fix": self.fix.render(locale),
        }


@dataclass(frozen=True)
class QualitySection:
    kind: str  # a SECTIONS key
    count: int  # all of them; `items` lists the first ones
    items: tuple[QualityItem, ...]

    @property
    def title(self) -> Text:
        return Text(SECTIONS[self.kind])

    def as_dict(self, locale: str | None = None) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title.render(locale),
            "count": self.count,
            "items": [item.as_dict(locale) for item in self.items],
        }


@dataclass(frozen=True)
class QualityReport:
    account_id: int
    environment_id: int
    environment: str
    sections: tuple[QualitySection, ...] = field(default_factory=tuple)

    def section(self, kind: str) -> QualitySection:
        return next(section for section in self.sections if section.kind == kind)

    @property
    def problems(self) -> int:
        return sum(section.count for section in self.sections)

    def as_dict(self, locale: str | None = None) -> dict[str, Any]:
        return {
            "environment_id": self.environment_id,
            "environment": self.environment,
            "problems": self.problems,
            "sections": [section.as_dict(locale) for section in self.sections],
        }

    def csv_rows(self, locale: str | None = None) -> Iterator[tuple[str, ...]]:
        """One row per item (for the CSV export: ask `data_quality` with limit=None)."""
        for section in self.sections:
            title = section.title.render(locale)
            for item in section.items:
                yield (title, item.table, item.key, item.name or "", item.problem.render(locale),
                       item.fix.render(locale))  # fmt: skip


def csv_header(locale: str | None = None) -> tuple[str, ...]:
    return tuple(render(Text(name), locale) for name in CSV_HEADER)


def data_quality(
    session: Session, *, account_id: int, environment_id: int, limit: int | None = DEFAULT_LIMIT
) -> QualityReport:
    """What to fix in Sage 100 for one environment of the account (None: every item)."""
    environment = session.get(Environment, environment_id)
    if environment is None or environment.account_id != account_id:
        raise EnvironmentNotFound(environment=environment_id)
    scope = _Scope(session, account_id, environment_id, limit)
    return QualityReport(
        account_id,
        environment_id,
        environment.name,
        (
            scope.collaborators(),
            scope.rows_set_aside(),
            scope.customers_without_rep(),
            scope.documents_without_rep(),
        ),
    )


def _name(last: str | None, first: str | None) -> str | None:
    return " ".join(part for part in (last, first) if part) or None


class _Scope:
    def __init__(self, session: Session, account_id: int, environment_id: int,
                 limit: int | None) -> None:  # fmt: skip
        self.session = session
        self.account_id = account_id
        self.environment_id = environment_id
        self.limit = limit

    def _limited(self, statement: Any) -> Any:
        return statement if self.limit is None else statement.limit(self.limit)

    def collaborators(self) -> QualitySection:
        c = Collaborator
        where = and_(
            c.account_id == self.account_id,
            c.environment_id == self.environment_id,
            c.deleted_at.is_(None),
            c.not_invitable.in_(list(_WHY)),
        )
        count = self.session.scalar(select(func.count()).select_from(c).where(where)) or 0
        rows = list(self.session.scalars(self._limited(select(c).where(where).order_by(c.co_no))))
        shared = {r.email_normalized for r in rows if r.not_invitable == "shared_email"}
        peers: dict[str, list[Collaborator]] = {}
        if shared:
            for peer in self.session.scalars(
                select(c)
                .where(
                    c.account_id == self.account_id,
                    c.environment_id == self.environment_id,
                    c.deleted_at.is_(None),
                    c.email_normalized.in_(shared),
                )
                .order_by(c.co_no)
            ):
                peers.setdefault(peer.email_normalized or "", []).append(peer)
        items = []
        for row in rows:
            others = ", ".join(
                f"n° {peer.co_no} {_name(peer.last_name, peer.first_name) or ''}".strip()
                for peer in peers.get(row.email_normalized or "", [])
                if peer.co_no != row.co_no
            )
            problem = Text(_WHY[row.not_invitable or ""], email=row.email or "", others=others)
            items.append(
                QualityItem(
                    "F_COLLABORATEUR",
                    f"CO_No {row.co_no}",
                    _name(row.last_name, row.first_name),
                    problem,
                    _("CO_EMail (une adresse e-mail personnelle, une seule)"),
                )
            )
        return QualitySection("collaborators", int(count), tuple(items))

    def rows_set_aside(self) -> QualitySection:
        report = RowReport()
        last_run = self.session.scalars(
            select(SyncRun.rows_report)
            .where(
                SyncRun.account_id == self.account_id,
                SyncRun.environment_id == self.environment_id,
                SyncRun.status.in_([RunStatus.SUCCEEDED.value, RunStatus.BLOCKED.value]),
                SyncRun.dry_run.is_(False),
            )
            .order_by(SyncRun.started_at.desc(), SyncRun.id.desc())
            .limit(1)
        ).first()
        report.merge(last_run)
        for stored in self.session.scalars(
            select(SyncWatermark.rows_report).where(
                SyncWatermark.account_id == self.account_id,
                SyncWatermark.environment_id == self.environment_id,
                SyncWatermark.rows_report.is_not(None),
            )
        ):
            report.merge(stored)
        items = [
            QualityItem(
                note.table,
                f"cbMarq {note.cbmarq if note.cbmarq is not None else '?'}",
                None,
                _text(from_json(note.text) if note.text else note.detail),
                _("{column} dans {table}", column=note.column or "?", table=note.table),
            )
            for part in report.tables.values()
            for note in part.rows
            if note.set_aside
        ]
        shown = items if self.limit is None else items[: self.limit]
        return QualitySection("rows_set_aside", report.set_aside, tuple(shown))

    def customers_without_rep(self) -> QualitySection:
        known = aliased(Collaborator)
        ct = CommerceCustomer
        statement = (
            select(ct.ct_num, ct.name, ct.co_no)
            .outerjoin(
                known,
                and_(
                    known.account_id == ct.account_id,
                    known.environment_id == ct.environment_id,
                    known.co_no == ct.co_no,
                ),
            )
            .where(
                ct.account_id == self.account_id,
                ct.environment_id == self.environment_id,
                or_(ct.co_no.is_(None), known.id.is_(None)),
            )
        )
        count = self.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        items = tuple(
            QualityItem(
                "F_COMPTET",
                f"CT_Num {num}",
                name,
                _("aucun représentant") if co_no is None
                else _("représentant n° {co_no} inconnu dans F_COLLABORATEUR", co_no=co_no),
                _("CO_No (représentant du client)"),
            )
            for num, name, co_no in self.session.execute(
                self._limited(statement.order_by(ct.ct_num))
            )
        )  # fmt: skip
        return QualitySection("customers_without_rep", int(count), items)

    def documents_without_rep(self) -> QualitySection:
        own, theirs = aliased(Collaborator), aliased(Collaborator)
        d, ct = CommerceDocument, CommerceCustomer
        statement = (
            select(d.do_type, d.do_piece, d.ct_num, d.co_no)
            .outerjoin(own, and_(own.account_id == d.account_id,
                                 own.environment_id == d.environment_id, own.co_no == d.co_no))
            .outerjoin(ct, and_(ct.account_id == d.account_id,
                                ct.environment_id == d.environment_id, ct.ct_num == d.ct_num))
            .outerjoin(theirs, and_(theirs.account_id == d.account_id,
                                    theirs.environment_id == d.environment_id,
                                    theirs.co_no == ct.co_no))
            .where(
                d.account_id == self.account_id,
                d.environment_id == self.environment_id,
                or_(d.co_no.is_(None), own.id.is_(None)),
                or_(ct.co_no.is_(None), theirs.id.is_(None)),
            )
        )  # fmt: skip
        count = self.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        items = tuple(
            QualityItem(
                "F_DOCENTETE",
                f"{piece} (DO_Type {kind})",
                tiers,
                _("ni le document ni son client {customer} n'ont de représentant connu",
                  customer=tiers or "?"),
                _("CO_No du document, ou CO_No du client dans F_COMPTET"),
            )
            for kind, piece, tiers, _co in self.session.execute(
                self._limited(statement.order_by(d.do_date.desc(), d.do_piece))
            )
        )  # fmt: skip
        return QualitySection("documents_without_rep", int(count), items)


def _text(value: Any) -> Text:
    return value if isinstance(value, Text) else Text("{text}", text=str(value))
