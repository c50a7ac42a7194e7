"""The web edge: FastAPI app factory, server-rendered pages (French first, English available)."""

from seatbridge.web.app import create_app

__all__ = ["create_app"]
