"""Every router of the product pages, in the order the app includes them.

The pages Starter and advanced admins share (users, invitations, licences, the review queue)
are mounted twice: under /administration (Starter) and /admin (advanced); `admin_area` sends
each admin to their edition's copy.
"""

from __future__ import annotations

from fastapi import APIRouter

from seatbridge.web.admin import (
    api_keys,
    console,
    environments,
    history,
    invite,
    reviews,
    starter,
    users,
)
from seatbridge.web.admin.access import ADVANCED_PREFIX, STARTER_PREFIX
from seatbridge.web.portal import pages as portal_pages
from seatbridge.web.wizard import flow as wizard_flow
from seatbridge.web.wizard import setup as wizard_setup

SHARED = (users.router, invite.router, reviews.router)
ADVANCED_ONLY = (environments.router, history.router, api_keys.router)


def product_routers() -> list[APIRouter]:
    areas = APIRouter()
    for router in SHARED:
        areas.include_router(router, prefix=STARTER_PREFIX)
        areas.include_router(router, prefix=ADVANCED_PREFIX)
    for router in ADVANCED_ONLY:
        areas.include_router(router, prefix=ADVANCED_PREFIX)
    return [
        wizard_setup.router,
        wizard_flow.router,
        starter.router,
        console.router,
        areas,
        portal_pages.router,
    ]
