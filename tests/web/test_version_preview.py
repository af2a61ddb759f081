"""The dataset page previews any version: ``?version=N``, kept by every preview link."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset
from tests.web.steps import CSV, table_rows, write_csv

FIRST = "facility,country,workers\n" + "".join(f"Facility {n:02},BD,{n}\n" for n in range(1, 26))


@pytest.fixture
def wages(node: Node, owner: Member, tmp_path: Path) -> str:
    """An open dataset: version 1 has 25 rows (two preview pages), version 2 has three."""
    make_dataset(node, "wages", "garment-union", access="open", license="CC-BY-4.0")
    ingest(node, "wages", write_csv(tmp_path, FIRST, "first.csv"))
    ingest(node, "wages", write_csv(tmp_path, CSV, "second.csv"))
    return "wages"


def hrefs(page: str, pattern: str) -> list[str]:
    """The unescaped ``href`` values matching ``pattern``."""
    links = (html.unescape(link) for link in re.findall(r'href="([^"]*)"', page))
    return [link for link in links if re.search(pattern, link)]


def test_each_version_has_its_own_preview_and_downloads(client: TestClient, wages: str):
    latest = client.get("/datasets/wages")
    first = client.get("/datasets/wages?version=1")
    assert first.status_code == 200
    assert "Preview of version 2" in latest.text and "Preview of version 1" in first.text
    assert [r[0] for r in table_rows(latest.text, "rows")] == [
        "Dhaka Knit Ltd",
        "Phnom Penh Sewing",
        "Saigon Apparel",
    ]
    shown = table_rows(first.text, "rows")
    api = client.get("/api/v1/datasets/wages/versions/1/rows?_size=20").json()
    assert shown == [[row["facility"], row["country"], str(row["workers"])] for row in api["rows"]]
    assert shown[0] == ["Facility 01", "BD", "1"] and len(shown) == 20
    assert "the latest is version 2" in first.text and "the latest is" not in latest.text

    assert "Download version 1" in first.text
    download = "/api/v1/datasets/wages/versions/{}/download?format=xlsx"
    assert hrefs(first.text, "format=xlsx") == [download.format(1)]
    assert hrefs(latest.text, "format=xlsx") == [download.format(2)]
    assert hrefs(first.text, r"^/datasets/wages\?version=") == [
        "/datasets/wages?version=2#preview",
        "/datasets/wages?version=1#preview",
    ]
    assert 'aria-current="true">1</a>' in first.text
    for response in (latest, first):
        alternate = '</api/v1/datasets/wages>; rel="alternate"; type="application/json"'
        assert response.headers["link"] == alternate


def test_sort_filter_and_page_links_keep_the_version(client: TestClient, wages: str):
    first = client.get("/datasets/wages?version=1").text
    [following] = hrefs(first, "_page=2")
    assert following == "?version=1&_page=2#preview"
    second_page = client.get("/datasets/wages" + following.removesuffix("#preview")).text
    assert table_rows(second_page, "rows")[0] == ["Facility 21", "BD", "21"]
    sort_links = hrefs(first, "_sort=")
    assert sort_links and all(link.startswith("?version=1&") for link in sort_links)
    assert '<input type="hidden" name="version" value="1">' in first

    filtered = client.get("/datasets/wages?version=1&workers=3").text
    assert table_rows(filtered, "rows") == [["Facility 03", "BD", "3"]]
    assert hrefs(filtered, "^/datasets/wages\\?version=1#preview$")  # clear filters
    assert 'name="version"' not in client.get("/datasets/wages").text.split("Filter rows")[0]


def test_unknown_versions_are_the_404_page(client: TestClient, node: Node, wages: str):
    for query in ["?version=3", "?version=0", "?version=-1"]:
        response = client.get("/datasets/wages" + query)
        assert response.status_code == 404, query
        assert "<h1>Not found</h1>" in response.text
    make_dataset(node, "empty", "garment-union", access="open", license="CC-BY-4.0")
    assert client.get("/datasets/empty?version=1").status_code == 404
    assert client.get("/datasets/empty").status_code == 200


def test_a_column_named_version_is_not_taken_for_the_version(
    client: TestClient, node: Node, owner: Member, tmp_path: Path
):
    make_dataset(node, "releases", "garment-union", access="open", license="CC-BY-4.0")
    ingest(node, "releases", write_csv(tmp_path, "version,label\n2,b\n1,a\n", "releases.csv"))
    page = client.get("/datasets/releases").text
    assert 'name="version"' not in page  # no filter box would send it as the version number
    assert 'for="filter-1">label<' in page
    sorted_rows = client.get("/datasets/releases?version=1&_sort=version").text
    assert [r[0] for r in table_rows(sorted_rows, "rows")] == ["1", "2"]
