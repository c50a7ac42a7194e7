"""scim2-client over the app's TestClient (an httpx client): requests run in-process."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from scim2_client import BaseSyncSCIMClient
from scim2_client.client import RawResponse


class InProcessScimClient(BaseSyncSCIMClient):
    def __init__(self, client: TestClient, base_path: str, headers: dict[str, str]) -> None:
        super().__init__()
        self.client = client
        self.base_path = base_path.rstrip("/")
        self.headers = headers

    def _parse_json(self, response: RawResponse) -> Any:
        return response.json() if isinstance(response, Response) else None

    def request(self, method: str, url: str, **kwargs: Any) -> Response:
        headers = self.headers | (kwargs.pop("headers", None) or {})
        return self.client.request(method, self.base_path + url, headers=headers, **kwargs)
