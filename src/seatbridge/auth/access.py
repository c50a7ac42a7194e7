"""Who may sign in: active users, and only admins once the licence is past its grace (rule 9)."""

from __future__ import annotations

import datetime as dt

from seatbridge.accounts.models import Account
from seatbridge.accounts.seats import LicenseState, license_state
from seatbridge.auth import errors
from seatbridge.directory.models import Role, User, UserStatus


def ensure_may_sign_in(user: User, account: Account, today: dt.date) -> None:
    """Raise the AuthError that explains why `user` may not be signed in now, or return."""
    if user.status == UserStatus.DISABLED:
        raise errors.UserDisabled()
    if user.status == UserStatus.INVITED:
        raise errors.InvitationNotAccepted()
    if user.status != UserStatus.ACTIVE:
        raise errors.SignInFailed()
    if license_state(account, today) is LicenseState.EXPIRED and user.role != Role.ADMIN:
        raise errors.LicenseExpiredAdminsOnly(expires_on=account.license_expires_on)
