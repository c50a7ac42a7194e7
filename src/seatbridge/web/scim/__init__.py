"""SCIM 2.0 (RFC 7643/7644) for identity providers: Users, following rule 17 and the seat pool."""

from seatbridge.web.scim.app import create_scim_app

__all__ = ["create_scim_app"]
