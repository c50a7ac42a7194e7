"""Imports every domain's tables so that Alembic and the drift test see the whole store."""

from seatbridge.accounts import models as accounts_models
from seatbridge.audit import models as audit_models
from seatbridge.directory import models as directory_models

__all__ = ["accounts_models", "audit_models", "directory_models"]
