"""/docs: the API reference as one server-rendered page, built from the OpenAPI document.

No JavaScript and nothing from a CDN (the site's Content-Security-Policy allows only itself).
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "patch", "delete")

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d2330; line-height: 1.45; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 1px solid #d8dce6; padding-top: 1rem; }
h3 { font-family: ui-monospace, monospace; font-size: 1rem; margin-bottom: .3rem; }
.method { display: inline-block; min-width: 4.2rem; font-weight: bold; }
.get { color: #17663a; } .post { color: #1b4f9c; } .patch, .put { color: #8a5a00; }
.delete { color: #a1261c; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .92rem; }
th, td { text-align: left; border-bottom: 1px solid #eceef3; padding: .25rem .5rem;
         vertical-align: top; }
code { font-family: ui-monospace, monospace; background: #f3f4f8; padding: 0 .2rem; }
.operation { margin-bottom: 1.6rem; } .muted { color: #5b6275; }
"""


@router.get("/docs.css")
def stylesheet() -> Response:
    return Response(STYLE, media_type="text/css")


@router.get("/docs")
def reference(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    prefix = str(request.scope.get("root_path", ""))
    return HTMLResponse(render(schema, prefix))


def render(schema: dict[str, Any], prefix: str) -> str:
    info = schema.get("info", {})
    by_tag: dict[str, list[str]] = defaultdict(list)
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                tag = (operation.get("tags") or ["other"])[0]
                by_tag[tag].append(_operation(prefix, path, method, operation))
    sections = "".join(
        f"<h2 id='{escape(tag)}'>{escape(tag)}</h2>{''.join(items)}"
        for tag, items in by_tag.items()
    )
    models = "".join(
        _model(name, model)
        for name, model in sorted(schema.get("components", {}).get("schemas", {}).items())
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(info.get('title', 'API'))}</title>"
        f"<link rel='stylesheet' href='{escape(prefix)}/docs.css'></head><body>"
        f"<h1>{escape(info.get('title', 'API'))}</h1>"
        f"<p class='muted'>Version {escape(str(info.get('version', '')))} — "
        f"<a href='{escape(prefix)}/openapi.json'>openapi.json</a></p>"
        f"{_paragraphs(info.get('description', ''))}{sections}"
        f"<h2 id='schemas'>Schemas</h2>{models}</body></html>"
    )


def _operation(prefix: str, path: str, method: str, operation: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
        f"<td>{'yes' if p.get('required') else 'no'}</td><td>{_type(p.get('schema', {}))}</td>"
        f"<td>{escape(p.get('description', ''))}</td></tr>"
        for p in operation.get("parameters", [])
    )
    parameters = (
        "<table><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th></th></tr>"
        f"{rows}</table>"
        if rows
        else ""
    )
    body = operation.get("requestBody", {}).get("content", {})
    request_body = "".join(
        f"<p>Body ({escape(kind)}): {_type(content.get('schema', {}))}</p>"
        for kind, content in body.items()
    )
    responses = "".join(
        f"<tr><td>{escape(status)}</td><td>{escape(answer.get('description', ''))}</td><td>"
        + ", ".join(
            f"{escape(kind)} {_type(content.get('schema', {}))}"
            for kind, content in answer.get("content", {}).items()
        )
        + "</td></tr>"
        for status, answer in operation.get("responses", {}).items()
    )
    return (
        f"<div class='operation'><h3><span class='method {method}'>{method.upper()}</span>"
        f"{escape(prefix + path)}</h3><p><strong>{escape(operation.get('summary', ''))}</strong>"
        f"</p>{_paragraphs(operation.get('description', ''))}{parameters}{request_body}"
        f"<table><tr><th>status</th><th>meaning</th><th>body</th></tr>{responses}</table></div>"
    )


def _model(name: str, model: dict[str, Any]) -> str:
    required = set(model.get("required", []))
    rows = "".join(
        f"<tr><td><code>{escape(field)}</code></td><td>{_type(spec)}</td>"
        f"<td>{'yes' if field in required else 'no'}</td>"
        f"<td>{escape(spec.get('description', ''))}</td></tr>"
        for field, spec in model.get("properties", {}).items()
    )
    values: list[Any] = model.get("enum") or []
    listed = f"<p>One of: {', '.join(f'<code>{escape(str(v))}</code>' for v in values)}</p>"
    return (
        f"<h3 id='{escape(name)}'>{escape(name)}</h3>"
        + (listed if values else "")
        + (
            f"<table><tr><th>field</th><th>type</th><th>required</th><th></th></tr>{rows}</table>"
            if rows
            else ""
        )
    )


def _type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        return f"<a href='#{escape(name)}'>{escape(name)}</a>"
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in spec:
            return " | ".join(_type(item) for item in spec[combined])
    if spec.get("type") == "array":
        return f"array of {_type(spec.get('items', {}))}"
    kind = str(spec.get("type", "any"))
    if "format" in spec:
        kind += f" ({spec['format']})"
    return escape(kind)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n") if part.strip())
