"""Creating users in SSM (rule 17): one use case that every edge calls."""

from seatbridge.onboarding.service import (
    Creation,
    NewUser,
    Outcome,
    SsmOnly,
    create_users,
    invite_collaborators,
)

__all__ = ["Creation", "NewUser", "Outcome", "SsmOnly", "create_users", "invite_collaborators"]
