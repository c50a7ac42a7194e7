"""Imports every domain's tables so that Alembic and the drift test see the whole store."""

from seatbridge.accounts import models as accounts_models
from seatbridge.apikeys import models as apikeys_models
from seatbridge.audit import models as audit_models
from seatbridge.auth import models as auth_models
from seatbridge.commerce import models as commerce_models
from seatbridge.directory import models as directory_models
from seatbridge.ingest import models as ingest_models
from seatbridge.invitations import models as invitations_models
from seatbridge.mail import models as mail_models
from seatbridge.sync import models as sync_models

__all__ = [
    "accounts_models",
    "apikeys_models",
    "audit_models",
    "auth_models",
    "commerce_models",
    "directory_models",
    "ingest_models",
    "invitations_models",
    "mail_models",
    "sync_models",
]
