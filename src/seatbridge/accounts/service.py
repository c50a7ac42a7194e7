"""Accounts: creation, activation codes in force, environments."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seatbridge import audit
from seatbridge.accounts import errors
from seatbridge.accounts.models import Account, AppliedLicense, Environment, OnDormant, SourceMode
from seatbridge.accounts.sources import DirectSources, require_allowed, require_unclaimed
from seatbridge.clock import Clock
from seatbridge.i18n import _
from seatbridge.licensing import Edition, KeyRing, LicenseTerms, normalise_code, verify_code

MAX_NAME = 200


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:63]


def create_account(session: Session, *, name: str, actor: str, slug: str | None = None) -> Account:
    name = name.strip()
    slug = slugify(slug or name)
    if not slug or len(name) > MAX_NAME:
        raise errors.InvalidAccountName()
    if session.scalar(select(Account.id).where(Account.slug == slug)) is not None:
        raise errors.AccountAlreadyExists(slug=slug)
    account = Account(name=name, slug=slug)
    session.add(account)
    session.flush()
    audit.record(
        session,
        account_id=account.id,
        actor=actor,
        action="account.create",
        subject_type="account",
        subject_id=account.id,
        after={"name": name, "slug": slug},
    )
    return account


def get_account(session: Session, reference: str | int) -> Account:
    """Find an account by id or slug (what operators type on the command line)."""
    account: Account | None
    if isinstance(reference, int) or str(reference).isdigit():
        account = session.get(Account, int(reference))
    else:
        account = session.scalar(select(Account).where(Account.slug == slugify(str(reference))))
    if account is None:
        raise errors.AccountNotFound(account=reference)
    return account


def apply_activation_code(
    session: Session, *, account_id: int, code: str, keyring: KeyRing, clock: Clock, actor: str
) -> tuple[Account, bool]:
    """Verify a code and put its terms in force; returns (account, changed).

    Re-applying the code in force changes nothing; an older code is refused; a code with fewer
    seats than are in use is accepted and leaves the account over quota (rule 9).
    """
    terms = verify_code(code, keyring, today=clock.today())
    account = session.get(Account, account_id, with_for_update=True, populate_existing=True)
    if account is None:
        raise errors.AccountNotFound(account=account_id)
    if account.license_serial == terms.serial:
        return account, False
    if account.license_issued_on is not None and terms.issued_on < account.license_issued_on:
        raise errors.OlderCode(
            issued_on=terms.issued_on, current_issued_on=account.license_issued_on
        )
    before = _terms_of(account)
    _put_in_force(account, terms)
    account.activated_at = account.activated_at or clock.now()
    session.add(
        AppliedLicense(
            account_id=account.id,
            serial=terms.serial,
            code=normalise_code(code),
            key_id=terms.key_id,
            customer=terms.customer,
            edition=terms.edition.value,
            seats=terms.seats,
            max_environments=terms.max_environments,
            issued_on=terms.issued_on,
            expires_on=terms.expires_on,
            grace_days=terms.grace_days,
            applied_at=clock.now(),
            applied_by=actor,
        )
    )
    audit.record(
        session,
        account_id=account.id,
        actor=actor,
        action="license.apply",
        subject_type="account",
        subject_id=account.id,
        before=before,
        after=_terms_of(account),
    )
    session.flush()
    return account, True


@dataclass(frozen=True)
class CodeImpact:
    """What applying a code would change, for the admin to read before confirming (rule 9: a
    smaller code is accepted, so the screen must say what it does first)."""

    terms: LicenseTerms
    edition_before: str | None
    seats_before: int
    max_environments_before: int
    seats_used: int
    environments: tuple[str, ...]  # connected companies, oldest first
    in_force: bool  # the very code already in force (applying it changes nothing)

    @property
    def allowed_environments(self) -> int:
        return 1 if self.terms.edition is Edition.STARTER else self.terms.max_environments

    @property
    def edition_changes(self) -> bool:
        return self.edition_before is not None and self.edition_before != self.terms.edition.value

    @property
    def seats_below_use(self) -> bool:
        return self.terms.seats < self.seats_used

    @property
    def environments_over(self) -> tuple[str, ...]:
        """The companies beyond what the code allows (the newest ones)."""
        return self.environments[self.allowed_environments :]

    @property
    def needs_confirmation(self) -> bool:
        return not self.in_force and (
            self.edition_changes or self.seats_below_use or bool(self.environments_over)
        )


def code_impact(
    session: Session, *, account_id: int, code: str, keyring: KeyRing, clock: Clock
) -> CodeImpact:
    """Verify a code and say what applying it would do; changes nothing (the same refusals as
    `apply_activation_code`: forged, expired, older than the code in force...)."""
    terms = verify_code(code, keyring, today=clock.today())
    account = session.get(Account, account_id)
    if account is None:
        raise errors.AccountNotFound(account=account_id)
    in_force = account.license_serial == terms.serial
    if (
        not in_force
        and account.license_issued_on is not None
        and terms.issued_on < account.license_issued_on
    ):
        raise errors.OlderCode(
            issued_on=terms.issued_on, current_issued_on=account.license_issued_on
        )
    names = session.scalars(
        select(Environment.name)
        .where(Environment.account_id == account_id)
        .order_by(Environment.created_at, Environment.id)
    ).all()
    return CodeImpact(
        terms=terms,
        edition_before=account.edition,
        seats_before=account.seats,
        max_environments_before=account.max_environments,
        seats_used=account.seats_used,
        environments=tuple(names),
        in_force=in_force,
    )


def _put_in_force(account: Account, terms: LicenseTerms) -> None:
    account.edition = terms.edition.value
    account.seats = terms.seats
    account.max_environments = 1 if terms.edition is Edition.STARTER else terms.max_environments
    account.license_serial = terms.serial
    account.license_issued_on = terms.issued_on
    account.license_expires_on = terms.expires_on
    account.license_grace_days = terms.grace_days


def _terms_of(account: Account) -> dict[str, object]:
    return {
        "edition": account.edition,
        "seats": account.seats,
        "max_environments": account.max_environments,
        "serial": account.license_serial,
        "expires_on": str(account.license_expires_on) if account.license_expires_on else None,
    }


def add_environment(
    session: Session,
    *,
    account_id: int,
    name: str,
    actor: str,
    mode: SourceMode = SourceMode.DIRECT,
    source_url: str | None = None,
    seat_cap: int | None = None,
    on_dormant: OnDormant = OnDormant.FLAG,
    wait_for_first_sync: bool = False,
    sources: DirectSources | None = None,
) -> Environment:
    """Connect a company; `wait_for_first_sync` (the wizard) keeps the scheduler from syncing
    it before its admin starts the first sync. A direct source must be one the operator allows
    (`sources`, from SEATBRIDGE_DIRECT_SOURCES; none when omitted) and not another account's."""
    account = session.get(Account, account_id, with_for_update=True, populate_existing=True)
    if account is None:
        raise errors.AccountNotFound(account=account_id)
    if account.edition is None:
        raise errors.NoLicense()
    name = name.strip()
    if not name or len(name) > 100:
        raise errors.InvalidEnvironment(
            reason=_("le nom est obligatoire (100 caractères au plus)."),
        )
    if mode is SourceMode.DIRECT and not source_url:
        raise errors.InvalidEnvironment(
            reason=_("indiquez l'URL de la base Sage 100 (ou choisissez le mode connecteur)."),
        )
    count = session.scalar(
        select(func.count()).select_from(Environment).where(Environment.account_id == account_id)
    )
    if (count or 0) >= account.max_environments:
        raise errors.EnvironmentLimitReached(
            edition=account.edition, limit=account.max_environments, count=count
        )
    if seat_cap is not None:
        _check_cap_allowed(account, seat_cap)
    duplicate = session.scalar(
        select(Environment.id).where(Environment.account_id == account_id, Environment.name == name)
    )
    if duplicate is not None:
        raise errors.EnvironmentAlreadyExists(name=name)
    if mode is SourceMode.DIRECT:
        allowed = sources or DirectSources()
        url = require_allowed(source_url, allowed)
        if allowed.exclusive:
            require_unclaimed(session, account_id=account_id, url=url)
    environment = Environment(
        account_id=account_id,
        name=name,
        mode=mode.value,
        source_url=source_url if mode is SourceMode.DIRECT else None,
        seat_cap=seat_cap,
        on_dormant=on_dormant.value,
        awaiting_first_sync=wait_for_first_sync,
    )
    session.add(environment)
    session.flush()
    audit.record(
        session,
        account_id=account_id,
        actor=actor,
        action="environment.add",
        subject_type="environment",
        subject_id=environment.id,
        after={"name": name, "mode": mode.value, "seat_cap": seat_cap},
    )
    return environment


def set_seat_cap(
    session: Session, *, account_id: int, environment_id: int, seat_cap: int | None, actor: str
) -> Environment:
    """Cap an environment's seats (advanced edition); a cap below current use blocks new seats."""
    account = session.get(Account, account_id)
    environment = session.get(Environment, environment_id)
    if account is None or environment is None or environment.account_id != account_id:
        raise errors.EnvironmentNotFound(environment=environment_id)
    if seat_cap is not None:
        _check_cap_allowed(account, seat_cap)
    before = environment.seat_cap
    environment.seat_cap = seat_cap
    audit.record(
        session,
        account_id=account_id,
        actor=actor,
        action="environment.seat_cap",
        subject_type="environment",
        subject_id=environment_id,
        before={"seat_cap": before},
        after={"seat_cap": seat_cap},
    )
    session.flush()
    return environment


# Bounds of the three cadences of an environment's sync (docs/sync.md, "Live sync").
PROBE_SECONDS = (1, 3600)
DELTA_MINUTES = (1, 7 * 24 * 60)
FULL_HOURS = (1, 24 * 31)


def set_cadences(
    session: Session,
    *,
    account_id: int,
    environment_id: int,
    actor: str,
    probe_seconds: int | None = None,
    delta_minutes: int | None = None,
    full_hours: int | None = None,
) -> Environment:
    """How often an environment is probed for changes, synced incrementally whatever the probe
    says, and reconciled in full (None: unchanged). One audit event with before and after."""
    environment = session.get(Environment, environment_id)
    if environment is None or environment.account_id != account_id:
        raise errors.EnvironmentNotFound(environment=environment_id)
    wanted = {
        "probe_seconds": (probe_seconds, PROBE_SECONDS, _("la vérification des changements")),
        "sync_interval_minutes": (
            delta_minutes,
            DELTA_MINUTES,
            _("la synchronisation incrémentale"),
        ),
        "full_sync_interval_hours": (full_hours, FULL_HOURS, _("la réconciliation complète")),
    }
    before = {name: getattr(environment, name) for name in wanted}
    for name, (value, (low, high), what) in wanted.items():
        if value is None:
            continue
        if not low <= value <= high:
            raise errors.InvalidEnvironment(
                reason=_("l'intervalle de {what} est hors des limites.", what=what)
            )
        setattr(environment, name, value)
    after = {name: getattr(environment, name) for name in wanted}
    if after != before:
        if after["probe_seconds"] != before["probe_seconds"]:
            environment.next_probe_at = None  # the new cadence applies from the next tick
        audit.record(
            session,
            account_id=account_id,
            actor=actor,
            action="environment.cadences",
            subject_type="environment",
            subject_id=environment_id,
            before=before,
            after=after,
        )
    session.flush()
    return environment


def _check_cap_allowed(account: Account, seat_cap: int) -> None:
    if account.edition != Edition.ADVANCED.value:
        raise errors.FeatureNotInEdition(feature=_("Licences par environnement"))
    if seat_cap < 0:
        raise errors.InvalidEnvironment(
            reason=_("la limite de licences doit être positive ou nulle."),
        )


def list_environments(session: Session, *, account_id: int) -> list[Environment]:
    return list(
        session.scalars(
            select(Environment).where(Environment.account_id == account_id).order_by(Environment.id)
        )
    )


def get_environment(session: Session, *, account_id: int, reference: str | int) -> Environment:
    query = select(Environment).where(Environment.account_id == account_id)
    if isinstance(reference, int) or str(reference).isdigit():
        query = query.where(Environment.id == int(reference))
    else:
        query = query.where(Environment.name == str(reference).strip())
    environment = session.scalar(query)
    if environment is None:
        raise errors.EnvironmentNotFound(environment=reference)
    return environment


def set_scim_confirm_unmatched(
    session: Session, *, account_id: int, enabled: bool, actor: str
) -> Account:
    """Trust (or stop trusting) the identity provider for users with no collaborator."""
    account = get_account(session, account_id)
    before = account.scim_confirm_unmatched
    account.scim_confirm_unmatched = enabled
    audit.record(
        session,
        account_id=account_id,
        actor=actor,
        action="account.scim_confirm_unmatched",
        subject_type="account",
        subject_id=account_id,
        before={"scim_confirm_unmatched": before},
        after={"scim_confirm_unmatched": enabled},
    )
    session.flush()
    return account
