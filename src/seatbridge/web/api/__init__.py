"""The REST API v1 (JSON, OpenAPI 3): a thin edge over the domain services."""

from seatbridge.web.api.app import create_api_app

__all__ = ["create_api_app"]
