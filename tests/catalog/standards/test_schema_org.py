"""The schema.org Dataset JSON-LD in every dataset page: what Google Dataset Search needs,
download links only where rows are readable, and no title can break out of the script."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.catalog.standards.conftest import Catalog
from tests.factories import make_dataset

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
XSS = "</script><script>alert(1)</script>"


def json_ld(client: TestClient, slug: str) -> dict[str, Any]:
    page = client.get(f"/datasets/{slug}")
    assert page.status_code == 200, page.text
    scripts = SCRIPT.findall(page.text)
    assert len(scripts) == 1, scripts
    doc: dict[str, Any] = json.loads(scripts[0])
    return doc


def test_google_dataset_search_fields(client: TestClient, catalog: Catalog) -> None:
    doc = json_ld(client, "open-wages")
    assert doc["@context"] == "https://schema.org/" and doc["@type"] == "Dataset"
    assert doc["name"] == "Open-Wages"
    assert doc["description"] == "Wages reported by workers."
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert doc["creator"] == {
        "@type": "Organization",
        "name": "Union",
        "url": "http://testserver/organizations/union",
    }
    assert doc["temporalCoverage"] == "2024-01-01/2024-12-31"
    assert [p["name"] for p in doc["spatialCoverage"]] == ["Bangladesh", "Viet Nam"]
    assert doc["variableMeasured"] == ["facility", "country", "workers"]
    assert doc["keywords"] == ["wages", "garments"]
    assert doc["isAccessibleForFree"] is True
    assert doc["identifier"] == "union~open-wages"
    assert doc["url"] == "http://testserver/datasets/union~open-wages"
    formats = {d["encodingFormat"]: d["contentUrl"] for d in doc["distribution"]}
    assert formats["text/csv"] == (
        "http://testserver/api/v1/datasets/open-wages/versions/1/download?format=csv"
    )
    assert client.get(formats["text/csv"]).status_code == 200


def test_restricted_rows_are_described_without_downloads(
    client: TestClient, catalog: Catalog
) -> None:
    doc = json_ld(client, "case-index")
    assert "distribution" not in doc
    assert doc["isAccessibleForFree"] is False
    assert doc["name"] == "Case-Index"


def test_a_title_cannot_end_the_script(node: Node, client: TestClient, catalog: Catalog) -> None:
    make_dataset(node, "xss", "union", access="internal", discoverable=True, title=XSS)
    page = client.get("/datasets/xss").text
    assert "<script>alert(1)" not in page
    assert json_ld(client, "xss")["name"] == XSS  # the title survives, inside the JSON
