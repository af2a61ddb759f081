"""The read-only pages, driven over HTTP: rendering, JSON twins, visibility, escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset, make_member, make_org
from tests.web.steps import sign_in, table_rows, write_csv

PAGES_WITH_JSON = {
    "/organizations": "/api/v1/organizations",
    "/organizations/garment-union": "/api/v1/organizations/garment-union",
    "/datasets": "/api/v1/datasets",
    "/datasets/wages": "/api/v1/datasets/wages",
    "/licenses": "/api/v1/licenses",
}


@pytest.fixture
def wages(node: Node, owner: Member, tmp_path: Path) -> str:
    """An open dataset with one version of three rows."""
    make_dataset(
        node,
        "wages",
        "garment-union",
        access="open",
        license="CC-BY-4.0",
        methodology="Payslip survey",
        coverage=["BD"],
    )
    ingest(node, "wages", write_csv(tmp_path))
    return "wages"


def test_every_page_renders_with_one_h1_and_a_skip_link(client: TestClient, wages: str):
    for path in ["/", *PAGES_WITH_JSON, "/licenses/choose", "/login"]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text)
        assert response.headers["content-type"].startswith("text/html")
        assert len(re.findall(r"<h1[ >]", response.text)) == 1, path
        assert 'href="#main"' in response.text and '<main id="main"' in response.text


def test_pages_link_their_json_twin(client: TestClient, wages: str):
    for page, api in PAGES_WITH_JSON.items():
        link = client.get(page).headers["link"]
        assert link == f'<{api}>; rel="alternate"; type="application/json"'
        assert client.get(api).status_code == 200


def test_dataset_page_shows_metadata_license_terms_and_versions(client: TestClient, wages: str):
    html = client.get("/datasets/wages").text
    assert "Payslip survey" in html and "CC-BY-4.0" in html
    assert "Commercial use" in html and "Credit the source" in html
    assert "Open: anyone, under an open license" in html
    versions = table_rows(html, "versions")
    assert [row[0] for row in versions] == ["1"]
    assert versions[0][4] == "3"
    assert "/api/v1/datasets/wages/versions/1/download?format=csv" in html


def test_page_and_api_show_the_same_rows(client: TestClient, wages: str):
    page = table_rows(client.get("/datasets/wages").text, "rows")
    api = client.get("/api/v1/datasets/wages/versions/1/rows?_size=20").json()
    names = [c["name"] for c in api["columns"]]
    expected = [["" if row[n] is None else str(row[n]) for n in names] for row in api["rows"]]
    assert page == expected and len(page) == 3


def test_preview_filters_and_sorts_like_the_api(client: TestClient, wages: str):
    filtered = client.get("/datasets/wages?country=KH")
    assert [r[0] for r in table_rows(filtered.text, "rows")] == ["Phnom Penh Sewing"]
    ordered = client.get("/datasets/wages?_sort=workers&_desc=true")
    assert [r[2] for r in table_rows(ordered.text, "rows")] == ["1200", "850", "300"]
    assert 'aria-sort="descending"' in ordered.text
    assert client.get("/datasets/wages?no_such_column=1").status_code == 400


def test_dataset_list_page_and_api_agree(client: TestClient, node: Node, wages: str):
    make_dataset(
        node,
        "audits",
        "garment-union",
        access="public",
        license="CC-BY-NC-4.0",
        data_type="facility-compliance",
    )
    for query in ["", "?data_type=facility-compliance", "?q=wag", "?license=CC-BY-NC-4.0"]:
        html = client.get("/datasets" + query).text
        on_page = re.findall(r'<a href="/datasets/([a-z0-9-]+)">', html)
        api = client.get("/api/v1/datasets" + query).json()
        assert on_page == [item["slug"] for item in api["items"]], query


def test_internal_dataset_is_hidden_like_a_missing_one(
    client: TestClient, node: Node, owner: Member
):
    make_dataset(node, "case-files", "garment-union", title="Case files")
    make_org(node, "other-union")
    outsider = make_member(node, "someone@other.example", "other-union")

    hidden = client.get("/datasets/case-files")
    missing = client.get("/datasets/no-such-files")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace("case-files", "X") == missing.text.replace("no-such-files", "X")
    assert "Case files" not in client.get("/datasets").text

    sign_in(client, outsider)
    assert client.get("/datasets/case-files").status_code == 404
    assert "Case files" not in client.get("/organizations/garment-union").text

    client.cookies.clear()
    sign_in(client, owner)
    page = client.get("/datasets/case-files")
    assert page.status_code == 200 and "Case files" in page.text
    assert "Case files" in client.get("/datasets").text


def test_user_strings_are_escaped(client: TestClient, node: Node, owner: Member):
    script = "<script>alert(1)</script>"
    make_dataset(
        node,
        "xss",
        "garment-union",
        access="public",
        license="CC-BY-NC-4.0",
        title=script,
        description=script,
    )
    for path in ["/", "/datasets", "/datasets/xss", "/organizations/garment-union"]:
        html = client.get(path).text
        assert script not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_javascript_urls_are_not_links(client: TestClient, node: Node):
    make_org(node, "sneaky", website="javascript:alert(1)", api_url="https://api.example/v1")
    html = client.get("/organizations/sneaky").text
    assert 'href="javascript:' not in html
    assert 'href="https://api.example/v1"' in html


def test_unknown_page_is_an_html_404(client: TestClient):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in response.text
    assert client.get("/api/v1/no-such").json()["error"]["code"] == "not-found"


def organization_slugs(client: TestClient, query: str) -> list[str]:
    return re.findall(
        r'<a href="/organizations/([a-z-]+)">', client.get("/organizations" + query).text
    )


def test_organizations_filter_by_archetype_data_type_and_country(client: TestClient, node: Node):
    make_org(node, "voice-app", "worker-voice", countries=["KH"], data_types=["violations"])
    make_org(node, "audit-hub", "compliance-aggregator", countries=["VN"])
    assert organization_slugs(client, "") == ["audit-hub", "voice-app"]
    assert organization_slugs(client, "?archetype=worker-voice") == ["voice-app"]
    assert organization_slugs(client, "?data_type=violations") == ["voice-app"]
    assert organization_slugs(client, "?country=VN") == ["audit-hub"]
    assert "Viet Nam (VN)" in client.get("/organizations?country=VN").text


def test_organization_page_shows_profile_and_datasets(client: TestClient, node: Node, wages: str):
    make_org(
        node,
        "hub",
        "data-intelligence-hub",
        has_api=True,
        api_url="https://hub.example/api",
        formats=["CSV", "JSON"],
        tools=["Kobo"],
        contact="data@hub.example",
    )
    html = client.get("/organizations/hub").text
    assert "Data intelligence hub" in html and "https://hub.example/api" in html
    assert "CSV, JSON" in html and "Kobo" in html and "data@hub.example" in html
    assert "/datasets/wages" in client.get("/organizations/garment-union").text


def test_license_table_and_chooser(client: TestClient):
    table = client.get("/licenses").text
    assert "ODbL-1.0" in table and "CC-BY-NC-ND-4.0" in table
    chooser = client.get("/licenses/choose")
    assert "Recommended" not in chooser.text and chooser.text.count('type="radio"') == 8
    answers = (
        "waive_all_rights=no&allow_commercial=no&allow_modifications=yes&require_share_alike=yes"
    )
    result = client.get("/licenses/choose?" + answers).text
    assert 'class="license-id">CC-BY-NC-SA-4.0<' in result
    assert "not an open license" in result
    assert client.get("/licenses/choose?allow_commercial=maybe").status_code == 400
