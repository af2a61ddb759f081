"""What every response tells the browser: security headers, and caching of restricted rows."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

import laborcommons.web
from laborcommons.api import create_app
from laborcommons.api.headers import CONTENT_SECURITY_POLICY
from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset
from tests.web.steps import sign_in, write_csv

NO_STORE = "private, no-store"


@pytest.mark.parametrize(
    ("access", "cached"), [("internal", False), ("named", False), ("open", True)]
)
def test_restricted_rows_on_the_web_are_never_stored(
    client: TestClient, node: Node, owner: Member, tmp_path: Path, access: str, cached: bool
) -> None:
    make_dataset(node, "wages", "garment-union", access=access, license="CC-BY-4.0")
    ingest(node, "wages", write_csv(tmp_path))
    sign_in(client, owner)
    page = client.get("/datasets/wages")
    assert page.status_code == 200 and "Dhaka Knit Ltd" in page.text  # the preview shows rows
    download = client.get("/datasets/wages/versions/1/download", params={"format": "csv"})
    assert download.status_code == 200 and "Dhaka Knit Ltd" in download.text
    for response in (page, download):
        stored = response.headers.get("cache-control") == NO_STORE
        assert stored is not cached, (response.url, response.headers.get("cache-control"))
        if not cached:
            assert "Cookie" in response.headers["vary"]


HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def assert_secured(response: httpx.Response) -> str:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (response.url, name)
    policy = response.headers["content-security-policy"]
    assert (
        "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    ), (response.url, policy)
    return policy


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),  # a web page
        ("/login", 200),
        ("/datasets/no-such-dataset", 404),  # a web error page
        ("/static/style.css", 200),  # a static file
        ("/api/v1/datasets", 200),  # API JSON
        ("/api/v1/datasets/no-such-dataset", 404),  # the API error envelope
        ("/api/v1/openapi.json", 200),
        ("/api/v1/docs", 200),
        ("/api/v1/docs/assets/swagger-ui-bundle.js", 200),
    ],
)
def test_every_kind_of_response_carries_the_security_headers(
    client: TestClient, path: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status
    policy = assert_secured(response)
    if not path.startswith("/api/v1/docs"):
        assert policy == CONTENT_SECURITY_POLICY  # no inline script anywhere but the docs


def test_an_internal_error_carries_the_security_headers(node: Node) -> None:
    app = create_app(node=node)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert_secured(response)


def test_the_api_docs_load_nothing_from_another_host(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    references = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert references and all(ref.startswith("/api/v1/docs/assets/") for ref in references)
    assert "http://" not in page.text and "https://" not in page.text
    for ref in references:
        assert client.get(ref).status_code == 200, ref
    policy = page.headers["content-security-policy"]
    assert "'sha256-" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]


def test_templates_carry_no_inline_script_or_style() -> None:
    templates = Path(laborcommons.web.__file__).parent / "templates"
    # A JSON-LD data block (schema.org on dataset pages) or a chart's JSON data block is
    # never executed, so the CSP's script-src does not apply to it; any other inline script
    # would be blocked and fails.
    script = r"<script(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json\"))"
    inline = re.compile(rf"{script}|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.I)
    offenders = [p.name for p in templates.glob("*.html") if inline.search(p.read_text())]
    assert offenders == []
