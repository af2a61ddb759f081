"""``/sitemap.xml`` and ``/robots.txt``: the anonymous view, whoever asks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient

from tests.catalog.standards.conftest import Catalog
from tests.web.steps import sign_in

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://testserver"


def locations(client: TestClient) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS) or "": url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }


def test_the_sitemap_lists_what_anyone_may_discover(client: TestClient, catalog: Catalog) -> None:
    found = locations(client)
    datasets = {f"{BASE}/datasets/union~{s}" for s in ("open-wages", "nc-wages", "case-index")}
    organizations = {f"{BASE}/organizations/union", f"{BASE}/organizations/rival"}
    assert set(found) == {f"{BASE}/", f"{BASE}/datasets"} | datasets | organizations
    assert all(found[loc] for loc in datasets)  # each with its lastmod


def test_a_signed_in_owner_gets_the_anonymous_sitemap(client: TestClient, catalog: Catalog) -> None:
    anonymous = locations(client)
    sign_in(client, catalog.owner)
    assert locations(client) == anonymous
    response = client.get("/sitemap.xml", headers=catalog.owner.headers)
    assert b"hidden-cases" not in response.content


def test_robots_points_to_the_sitemap(client: TestClient) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Disallow: /login" in lines and "Disallow: /review" in lines
    assert "Disallow: /datasets/*/edit" in lines
