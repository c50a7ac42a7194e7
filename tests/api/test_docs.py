"""/api/v1/openapi.json and /api/v1/docs: public, complete, and loading nothing from elsewhere."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.api.world import ApiWorld


def test_the_openapi_document_describes_every_operation(api: ApiWorld) -> None:
    response = api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.") and document["servers"] == [{"url": "/api/v1"}]
    assert {"Problem", "ValidationProblem"} <= set(document["components"]["schemas"])
    assert document["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
    ours = {p: item for p, item in document["paths"].items() if not p.startswith("/connector/")}
    assert len(ours) == 20  # + the quality report and its CSV
    for path, item in ours.items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert {"401", "403"} <= set(responses), (method, path)
            problem = responses["401"]["content"]["application/problem+json"]["schema"]
            assert problem == {"$ref": "#/components/schemas/Problem"}
            assert "HTTPValidationError" not in str(responses), (method, path)


def test_the_docs_page_is_rendered_here_without_a_cdn(api: ApiWorld) -> None:
    response = api.client.get("/api/v1/docs")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = BeautifulSoup(response.text, "html.parser")
    assert page.find("h1").get_text() == "seatbridge REST API"
    operations = {h3.get_text(" ", strip=True) for h3 in page.find_all("h3")}
    assert "POST /api/v1/users" in operations
    assert "GET /api/v1/environments/{environment_id}/syncs/{run_id}" in operations
    assert page.find("h3", id="Problem") is not None
    assert page.find_all("script") == []
    sources = [tag.get("href") or tag.get("src") for tag in page.find_all(["link", "img"])]
    assert sources == ["/api/v1/docs.css"]
    assert api.client.get("/api/v1/docs.css").headers["content-type"].startswith("text/css")
    assert "default-src 'self'" in response.headers["content-security-policy"]
