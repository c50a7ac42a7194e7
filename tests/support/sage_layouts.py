"""Sage 100 company databases built from the real table definitions, filled by hand.

Not the demo generator: the column lists below are those of real Sage 100 databases, in their
real order, with the real NOT NULL constraints, the computed ``cb<COL>`` varbinary columns
(SQLite: virtual generated columns), the ``cb<FK>`` shadow columns (``cbPROT_No``, ``cbCO_No``...)
and free-field columns ("informations libres") whose names carry spaces and accents.

Sources (see /work/shared/reference/sage100-schema.md):
- recent (Sage 100c v8+ / 100cloud): the EF Core scaffold of a recent database,
  github.com/arbiochem/ArbioFlow, ``ArbioFlow/Models/FCollaborateur.cs`` (40 columns, no
  ``CO_Sommeil``), ``FComptet.cs``, ``FDocentete.cs``, ``FDocligne.cs`` [S1]; string widths from the
  EF6 ``arbioApp.Models`` StringLength annotations [S2]. The scaffold's company-specific
  columns (``CT_NumArbiochem``...) are left out; ``Commentaires``/``LotSerie`` likewise.
- recent with ``CO_Sommeil``: the same, plus the dormant flag some installations have [S15].
- older (i7): the Prisma SQL Server migration of older Sage tables [S3] and the MC3Shopper EF6
  entities [S8]: ``smalldatetime`` stamps, no ``cbCreation``/``cbCreationUser``/``cbHash*``,
  ``CO_DateCreation``, ``DO_Piece`` varchar(9), ``CT_Intitule`` varchar(35), no document totals.

Types are written as SQL Server spells them; SQLite keeps them as declared (its affinity rules
give INTEGER/REAL/TEXT), so the reader discovers the same names and the same type names.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any, Final, Literal

Layout = Literal["recent", "recent_sommeil", "older"]
LAYOUTS: Final[tuple[Layout, ...]] = ("recent", "recent_sommeil", "older")

# name, type; "cb:<COL>" marks a computed varbinary column over <COL>.
Column = tuple[str, str]


def _cols(spec: str) -> list[Column]:
    """'NAME TYPE, NAME TYPE...' -> columns ("money" stands for numeric(24,6))."""
    out = []
    for item in spec.split(","):
        item = item.strip()
        if item:
            name, _, kind = item.partition(" ")
            kind = kind.strip()
            out.append((name, "numeric(24,6)" + kind[5:] if kind.startswith("money") else kind))
    return out


def _technical(*, recent: bool, hashed: bool = False) -> list[Column]:
    stamp = "datetime" if recent else "smalldatetime"
    columns = _cols(
        f"cbProt smallint, cbMarq int IDENTITY NOT NULL, cbCreateur char(4), "
        f"cbModification {stamp}, cbReplication int, cbFlag smallint"
    )
    if recent:
        columns += _cols("cbCreation datetime, cbCreationUser uniqueidentifier")
        if hashed:
            columns += _cols(
                "cbHash varbinary(32), cbHashVersion smallint, cbHashDate datetime, cbHashOrder int"
            )
    return columns


def collaborators(layout: Layout) -> list[Column]:
    recent = layout != "older"
    columns = _cols(
        ("CO_No int, " if recent else "CO_No int NULL, ")
        + "CO_Nom varchar(35), cbCO_Nom cb:CO_Nom, CO_Prenom varchar(35), "
        "cbCO_Prenom cb:CO_Prenom, CO_Fonction varchar(35), cbCO_Fonction cb:CO_Fonction, "
        "CO_Adresse varchar(35), CO_Complement varchar(35), CO_CodePostal varchar(9), "
        "CO_Ville varchar(35), CO_CodeRegion varchar(25), CO_Pays varchar(35), "
        "CO_Service varchar(35), CO_Vendeur smallint, CO_Caissier smallint, "
        "CO_Acheteur smallint, CO_Telephone varchar(21), CO_Telecopie varchar(21), "
        "CO_EMail varchar(69), CO_Receptionnaire smallint, PROT_No int, cbPROT_No int, "
        "CO_TelPortable varchar(21), CO_ChargeRecouvr smallint"
    )
    if recent:
        columns += _cols(
            "CO_Matricule varchar(11), cbCO_Matricule cb:CO_Matricule, CO_Financier smallint, "
            "CO_Transmission smallint, CO_Facebook varchar(35), CO_LinkedIn varchar(35), "
            "CO_Skype varchar(35)"
        )
    else:
        columns += _cols("CO_DateCreation smalldatetime")
    if layout == "recent_sommeil":
        columns += _cols("CO_Sommeil smallint")
    return columns + _technical(recent=recent)


def third_parties(layout: Layout) -> list[Column]:
    recent = layout != "older"
    columns = _cols(
        f"CT_Num varchar(17) NOT NULL, cbCT_Num cb:CT_Num, "
        f"CT_Intitule varchar({69 if recent else 35}), CT_Type smallint, "
        "CG_NumPrinc varchar(13), cbCG_NumPrinc cb:CG_NumPrinc, CT_Qualite varchar(17), "
        "CT_Classement varchar(17), cbCT_Classement cb:CT_Classement, CT_Contact varchar(35), "
        "CT_Adresse varchar(35), CT_Complement varchar(35), CT_CodePostal varchar(9), "
        "cbCT_CodePostal cb:CT_CodePostal, CT_Ville varchar(35), CT_CodeRegion varchar(25), "
        "CT_Pays varchar(35), CT_Raccourci varchar(7), cbCT_Raccourci cb:CT_Raccourci, "
        "BT_Num smallint, N_Devise smallint, CT_Ape varchar(7), CT_Identifiant varchar(25), "
        "CT_Siret varchar(15), "
        + ", ".join(f"CT_Statistique{i:02} varchar(21)" for i in range(1, 11))
        + ", CT_Commentaire varchar(35), CT_Encours money, CT_Assurance money, "
        "CT_NumPayeur varchar(17), cbCT_NumPayeur cb:CT_NumPayeur, N_Risque smallint, "
        "CO_No int, cbCO_No int, N_CatTarif smallint, "
        + ", ".join(f"CT_Taux{i:02} money" for i in range(1, 5))
        + ", N_CatCompta smallint, N_Period smallint, CT_Facture smallint, CT_BLFact smallint, "
        "CT_Langue smallint, N_Expedition smallint, N_Condition smallint, CT_Saut smallint, "
        "CT_Lettrage smallint, CT_ValidEch smallint, CT_Sommeil smallint, DE_No int, "
        "cbDE_No int, CT_ControlEnc smallint, CT_NotRappel smallint, N_Analytique smallint, "
        "cbN_Analytique smallint, CA_Num varchar(17), cbCA_Num cb:CA_Num, "
        "CT_Telephone varchar(21), CT_Telecopie varchar(21), CT_EMail varchar(69), "
        "CT_Site varchar(69), CT_Coface varchar(25), CT_Surveillance smallint, "
        "CT_SvDateCreate datetime, CT_SvFormeJuri varchar(33), CT_SvEffectif varchar(11), "
        "CT_SvCA money, CT_SvResultat money, CT_SvIncident smallint, "
        "CT_SvDateIncid datetime, CT_SvPrivil smallint, CT_SvRegul varchar(3), "
        "CT_SvCotation varchar(5), CT_SvDateMaj datetime, CT_SvObjetMaj varchar(61), "
        "CT_SvDateBilan datetime, CT_SvNbMoisBilan smallint, N_AnalytiqueIFRS smallint, "
        "cbN_AnalytiqueIFRS smallint, CA_NumIFRS varchar(17), CT_PrioriteLivr smallint, "
        "CT_LivrPartielle smallint, MR_No int, cbMR_No int, CT_NotPenal smallint, EB_No int, "
        "cbEB_No int, CT_NumCentrale varchar(17), cbCT_NumCentrale cb:CT_NumCentrale, "
        "CT_DateFermeDebut datetime, CT_DateFermeFin datetime, CT_FactureElec smallint, "
        "CT_TypeNIF smallint, CT_RepresentInt varchar(35), CT_RepresentNIF varchar(25)"
    )
    if recent:
        columns += _cols(
            "CT_EdiCodeType smallint, CT_EdiCode varchar(35), CT_EdiCodeSage varchar(9), "
            "CT_ProfilSoc smallint, CT_StatutContrat smallint, CT_DateMAJ datetime, "
            "CT_EchangeRappro smallint, CT_EchangeCR smallint, PI_NoEchange int, "
            "cbPI_NoEchange int, CT_BonAPayer smallint, CT_DelaiTransport smallint, "
            "CT_DelaiAppro smallint, CT_LangueISO2 varchar(3), CT_AnnulationCR smallint, "
            "CT_CessionCreance smallint, CT_Facebook varchar(35), CT_LinkedIn varchar(35), "
            "CT_ExclureTrait smallint, CT_GDPR smallint, CT_Prospect smallint"
        )
    columns += _technical(recent=recent)
    # Free fields ("informations libres", cbSysLibre): names chosen by each company.
    columns += [('"Date de première commande"', "datetime"), ('"Réseau"', "varchar(21)")]
    return columns


def headers(layout: Layout) -> list[Column]:
    recent = layout != "older"
    piece = 13 if recent else 9
    stamp = "datetime" if recent else "smalldatetime"
    columns = _cols(
        f"DO_Domaine smallint, DO_Type smallint, DO_Piece varchar({piece}), "
        f"cbDO_Piece cb:DO_Piece, DO_Date {stamp}, DO_Ref varchar(17), DO_Tiers varchar(17), "
        "cbDO_Tiers cb:DO_Tiers, CO_No int, cbCO_No int, DO_Period smallint, "
        "DO_Devise smallint, DO_Cours money, DE_No int, cbDE_No int, LI_No int, "
        "cbLI_No int, CT_NumPayeur varchar(17), cbCT_NumPayeur cb:CT_NumPayeur, "
        "DO_Expedit smallint, DO_NbFacture smallint, DO_BLFact smallint, "
        "DO_TxEscompte money, DO_Reliquat smallint, DO_Imprim smallint, "
        "CA_Num varchar(17), cbCA_Num cb:CA_Num, DO_Coord01 varchar(25), "
        "DO_Coord02 varchar(25), DO_Coord03 varchar(25), DO_Coord04 varchar(25), "
        f"DO_Souche smallint, DO_DateLivr {stamp}, DO_Condition smallint, DO_Tarif smallint, "
        "DO_Colisage smallint, DO_TypeColis smallint, DO_Transaction smallint, "
        "DO_Langue smallint, DO_Ecart money, DO_Regime smallint, "
        "N_CatCompta smallint, DO_Ventile smallint, AB_No int, DO_DebutAbo datetime, "
        "DO_FinAbo datetime, DO_DebutPeriod datetime, DO_FinPeriod datetime, "
        "CG_Num varchar(13), cbCG_Num cb:CG_Num, DO_Statut smallint, DO_Heure char(9), "
        "CA_No int, cbCA_No int, CO_NoCaissier int, cbCO_NoCaissier int, "
        "DO_Transfere smallint, DO_Cloture smallint, DO_NoWeb varchar(17), "
        "DO_Attente smallint, DO_Provenance smallint, CA_NumIFRS varchar(17), MR_No int, "
        "DO_TypeFrais smallint, DO_ValFrais money, DO_TypeLigneFrais smallint, "
        "DO_TypeFranco smallint, DO_ValFranco money, DO_TypeLigneFranco smallint, "
        + ", ".join(
            f"DO_Taxe{i} money, DO_TypeTaux{i} smallint, DO_TypeTaxe{i} smallint" for i in (1, 2, 3)
        )
        + ", DO_MajCpta smallint, DO_Motif varchar(69), CT_NumCentrale varchar(17), "
        "cbCT_NumCentrale cb:CT_NumCentrale, DO_Contact varchar(35)"
    )
    if recent:
        columns += _cols(
            "DO_FactureElec smallint, DO_TypeTransac smallint, DO_DateLivrRealisee datetime, "
            "DO_DateExpedition datetime, DO_FactureFrs varchar(35), "
            "cbDO_FactureFrs cb:DO_FactureFrs, DO_PieceOrig varchar(13), "
            "cbDO_PieceOrig cb:DO_PieceOrig, DO_GUID uniqueidentifier, DO_EStatut smallint, "
            "DO_DemandeRegul smallint, ET_No int, cbET_No int, DO_Valide smallint, "
            "DO_Coffre smallint, DO_CodeTaxe1 varchar(5), DO_CodeTaxe2 varchar(5), "
            "DO_CodeTaxe3 varchar(5), DO_TotalHT money, DO_StatutBAP smallint, "
            "DO_Escompte smallint, DO_DocType smallint, DO_TypeCalcul smallint, "
            "DO_FactureFile uniqueidentifier, DO_TotalHTNet money, "
            "DO_TotalTTC money, DO_NetAPayer money, "
            "DO_MontantRegle money, DO_RefPaiement uniqueidentifier, "
            "DO_AdressePaiement varchar(69), DO_PaiementLigne smallint, DO_MotifDevis smallint"
        )
    else:
        columns += _cols("DO_PieceOrig varchar(9), cbDO_PieceOrig cb:DO_PieceOrig")
    columns += _technical(recent=recent, hashed=True)
    columns += [('"Référence chantier"', "varchar(35)")]
    return columns


def lines(layout: Layout) -> list[Column]:
    recent = layout != "older"
    piece = 13 if recent else 9
    stamp = "datetime" if recent else "smalldatetime"
    columns = _cols(
        f"DO_Domaine smallint, DO_Type smallint NOT NULL, CT_Num varchar(17), "
        f"cbCT_Num cb:CT_Num, DO_Piece varchar({piece}) NOT NULL, cbDO_Piece cb:DO_Piece, "
        f"DL_PieceBC varchar({piece}), cbDL_PieceBC cb:DL_PieceBC, "
        f"DL_PieceBL varchar({piece}), cbDL_PieceBL cb:DL_PieceBL, DO_Date {stamp}, "
        f"DL_DateBC {stamp}, DL_DateBL {stamp}, DL_Ligne int, DO_Ref varchar(17), "
        "cbDO_Ref cb:DO_Ref, DL_TNomencl smallint, DL_TRemPied smallint, "
        "DL_TRemExep smallint, AR_Ref varchar(19), cbAR_Ref cb:AR_Ref, "
        "DL_Design varchar(69), DL_Qte money, DL_QteBC money, "
        "DL_QteBL money, DL_PoidsNet money, DL_PoidsBrut money, "
        + ", ".join(
            f"DL_Remise{i:02}REM_Valeur money, DL_Remise{i:02}REM_Type smallint" for i in (1, 2, 3)
        )
        + ", DL_PrixUnitaire money, DL_PUBC money, "
        "DL_Taxe1 money, DL_TypeTaux1 smallint, DL_TypeTaxe1 smallint, "
        "DL_Taxe2 money, DL_TypeTaux2 smallint, DL_TypeTaxe2 smallint, CO_No int, "
        "cbCO_No int, AG_No1 int, AG_No2 int, DL_PrixRU money, "
        "DL_CMUP money, DL_MvtStock smallint, DT_No int, cbDT_No int, "
        "AF_RefFourniss varchar(19), cbAF_RefFourniss cb:AF_RefFourniss, "
        "EU_Enumere varchar(35), EU_Qte money, DL_TTC smallint, DE_No int, "
        "cbDE_No int, DL_NoRef smallint, DL_TypePL smallint, DL_PUDevise money, "
        f"DL_PUTTC money, DL_No int, DO_DateLivr {stamp}, CA_Num varchar(17), "
        "cbCA_Num cb:CA_Num, DL_Taxe3 money, DL_TypeTaux3 smallint, "
        "DL_TypeTaxe3 smallint, DL_Frais money, DL_Valorise smallint, "
        "AR_RefCompose varchar(19), cbAR_RefCompose cb:AR_RefCompose, DL_NonLivre smallint, "
        "AC_RefClient varchar(19), DL_MontantHT money, DL_MontantTTC money, "
        "DL_FactPoids smallint, DL_Escompte smallint, "
        f"DL_PiecePL varchar({piece}), cbDL_PiecePL cb:DL_PiecePL, DL_DatePL {stamp}, "
        "DL_QtePL money, DL_NoColis varchar(9), DL_NoLink int, cbDL_NoLink int, "
        "RP_Code varchar(11), cbRP_Code cb:RP_Code, DL_QteRessource int, "
        "DL_DateAvancement datetime"
    )
    if recent:
        columns += _cols(
            "PF_Num varchar(9) NOT NULL DEFAULT '', cbPF_Num cb:PF_Num, "
            "DL_CodeTaxe1 varchar(5), DL_CodeTaxe2 varchar(5), DL_CodeTaxe3 varchar(5), "
            "DL_PieceOFProd int, DL_PieceDE varchar(13), cbDL_PieceDE cb:DL_PieceDE, "
            "DL_DateDE datetime, DL_QteDE money, DL_Operation varchar(11), "
            "DL_NoSousTotal int, CA_No int, cbCA_No int, DO_DocType smallint"
        )
    columns += _technical(recent=recent, hashed=True)
    columns += [('"Unité de colisage"', "varchar(21)")]
    return columns


TABLES: Final = {
    "F_COLLABORATEUR": collaborators,
    "F_COMPTET": third_parties,
    "F_DOCENTETE": headers,
    "F_DOCLIGNE": lines,
}


def _quoted(name: str) -> str:
    return name if name.startswith('"') else f'"{name}"'


def create_table_sql(table: str, columns: Iterable[Column]) -> str:
    parts = []
    for name, kind in columns:
        if kind.startswith("cb:"):
            parts.append(f'{_quoted(name)} varbinary GENERATED ALWAYS AS '
                         f'(CAST(COALESCE("{kind[3:]}", \'\') AS BLOB)) VIRTUAL')  # fmt: skip
        elif name == "cbMarq":
            parts.append('"cbMarq" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL')
        else:
            parts.append(f"{_quoted(name)} {kind}")
    return f'CREATE TABLE "{table}" ({", ".join(parts)})'


class SageCompany:
    """A company file of one layout: rows are inserted by hand, column by column."""

    def __init__(self, path: Path, layout: Layout = "recent", *, drop: Iterable[str] = ()) -> None:
        self.path = path
        self.layout = layout
        self.url = f"sqlite:///{path}"
        dropped = set(drop)
        self.columns: dict[str, list[Column]] = {
            table: [c for c in build(layout) if c[0] not in dropped]
            for table, build in TABLES.items()
        }
        with closing(sqlite3.connect(path)) as connection, connection:
            for table, columns in self.columns.items():
                connection.execute(create_table_sql(table, columns))
            connection.execute('CREATE UNIQUE INDEX "UKA_F_COMPTET_CT_Num" ON "F_COMPTET" '
                               '("cbCT_Num")')  # fmt: skip
            connection.execute('CREATE INDEX "IDL_PIECE" ON "F_DOCLIGNE" '
                               '("DO_Domaine", "DO_Type", "cbDO_Piece")')  # fmt: skip
        self._tick = dt.datetime(2026, 11, 2, 8, 0)

    def stamp(self) -> str:
        """A fresh cbModification (the server clock of this company)."""
        self._tick += dt.timedelta(seconds=1)
        return self._tick.isoformat(" ", "microseconds")  # as SQLAlchemy writes dates

    def insert(self, table: str, **values: Any) -> int:
        values.setdefault("cbModification", self.stamp())
        values.setdefault("cbCreateur", "CSQL")
        names = ", ".join(_quoted(n) if " " in n or not n.isidentifier() else f'"{n}"'
                          for n in values)  # fmt: skip
        marks = ", ".join("?" for _ in values)
        with closing(sqlite3.connect(self.path)) as connection, connection:
            cursor = connection.execute(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})', tuple(values.values())
            )
            return int(cursor.lastrowid or 0)

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        with closing(sqlite3.connect(self.path)) as connection, connection:
            return connection.execute(sql, params).rowcount

    def collaborator(self, co_no: int | None, nom: str, prenom: str, email: str | None,
                     **values: Any) -> int:  # fmt: skip
        return self.insert("F_COLLABORATEUR", CO_No=co_no, CO_Nom=nom, CO_Prenom=prenom,
                           CO_EMail=email, CO_Vendeur=1, **values)  # fmt: skip

    def customer(self, ct_num: str | None, name: str, co_no: int | None = None,
                 **values: Any) -> int:  # fmt: skip
        return self.insert("F_COMPTET", CT_Num=ct_num, CT_Intitule=name, CT_Type=0,
                           CO_No=co_no, CT_Sommeil=0, **values)  # fmt: skip

    def document(self, do_type: int, piece: str | None, tiers: str, co_no: int | None = None,
                 *, date: str = "2026-10-15 00:00:00", **values: Any) -> int:  # fmt: skip
        return self.insert("F_DOCENTETE", DO_Domaine=0, DO_Type=do_type, DO_Piece=piece,
                           DO_Date=date, DO_Tiers=tiers, CO_No=co_no, DO_Statut=1,
                           **values)  # fmt: skip

    def line(self, do_type: int, piece: str, tiers: str, amount_ht: float, *,
             amount_ttc: float | None = None, date: str = "2026-10-15 00:00:00",
             **values: Any) -> int:  # fmt: skip
        return self.insert("F_DOCLIGNE", DO_Domaine=0, DO_Type=do_type, DO_Piece=piece,
                           CT_Num=tiers, DO_Date=date, DL_Ligne=1000, AR_Ref="BAGUE01",
                           DL_Design="Bague or", DL_Qte=1, DL_PrixUnitaire=amount_ht,
                           DL_MontantHT=amount_ht,
                           DL_MontantTTC=amount_ht * 1.2 if amount_ttc is None else amount_ttc,
                           **values)  # fmt: skip
