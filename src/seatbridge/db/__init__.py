"""The seatbridge store: engine, sessions, declarative base and migrations."""

from seatbridge.db.base import Base, metadata
from seatbridge.db.engine import create_store_engine, session_factory

__all__ = ["Base", "create_store_engine", "metadata", "session_factory"]
