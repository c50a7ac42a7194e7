"""Imports every domain's tables so that Alembic and the drift test see the whole store."""

from seatbridge.accounts import models as accounts_models
from seatbridge.audit import models as audit_models
from seatbridge.auth import models as auth_models
from seatbridge.directory import models as directory_models
from seatbridge.invitations import models as invitations_models
from seatbridge.mail import models as mail_models
from seatbridge.sync import models as sync_models

__all__ = [
    "accounts_models",
    "audit_models",
    "auth_models",
    "directory_models",
    "invitations_models",
    "mail_models",
    "sync_models",
]
