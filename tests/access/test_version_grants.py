"""Grants say which versions they open, and may open chosen versions only."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from laborcommons.access.models import Grant
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.factories import Member, make_dataset, make_member, make_org
from tests.web.steps import sign_in

RAW = b"worker,wage\nAnwar Hossain,100\nRina Begum,200\n"
DERIVED = b"worker,wage\nP-01,100\nP-02,200\n"


def _two_versions(node: Node, client: TestClient) -> Member:
    make_org(node, "union")
    make_org(node, "legal-aid")
    owner = make_member(node, "w@union.example", "union", "owner")
    make_dataset(node, "wages", "union", access="named", discoverable=True)
    for name, body in (("raw.csv", RAW), ("derived.csv", DERIVED)):
        upload = client.post(
            "/api/v1/datasets/wages/versions", files={"file": (name, body)}, headers=owner.headers
        )
        assert upload.status_code == 201
    return owner


def test_a_grant_of_one_version_reads_that_version_only(client: TestClient, node: Node) -> None:
    owner = _two_versions(node, client)
    reader = make_member(node, "n@legal-aid.example", "legal-aid", "viewer")
    made = client.post(
        "/api/v1/datasets/wages/grants",
        json={"organization": "legal-aid", "agreement": "DSA-9", "versions": [2]},
        headers=owner.headers,
    )
    assert made.status_code == 201
    assert (made.json()["versions"], made.json()["covers"]) == ([2], "version 2 only")
    rows = "/api/v1/datasets/wages/versions/{n}/rows"
    derived = client.get(rows.format(n=2), headers=reader.headers)
    assert derived.status_code == 200 and "P-01" in derived.text
    for path in (rows.format(n=1), "/api/v1/datasets/wages/versions/1/download?format=csv"):
        refused = client.get(path, headers=reader.headers)
        assert refused.status_code == 403 and "Anwar" not in refused.text
    metadata = client.get("/api/v1/datasets/wages", headers=reader.headers).json()
    assert metadata["rows_readable"] is False, "the whole dataset is not granted"


def test_a_grant_says_it_opens_every_version_by_default(client: TestClient, node: Node) -> None:
    owner = _two_versions(node, client)
    made = client.post(
        "/api/v1/datasets/wages/grants", json={"organization": "legal-aid"}, headers=owner.headers
    )
    assert made.json()["versions"] is None
    assert "every version" in made.json()["covers"] and "later" in made.json()["covers"]
    missing = client.post(
        "/api/v1/datasets/wages/grants",
        json={"organization": "legal-aid", "versions": [2, 7]},
        headers=owner.headers,
    )
    assert missing.status_code == 422 and "7" in missing.json()["error"]["message"]


def test_an_approval_may_open_chosen_versions(client: TestClient, node: Node) -> None:
    owner = _two_versions(node, client)
    asker = make_member(node, "asker@ngo.example")
    asked = client.post(
        "/api/v1/datasets/wages/access-requests",
        json={"purpose": "research on wages"},
        headers=asker.headers,
    )
    approved = client.post(
        f"/api/v1/access-requests/{asked.json()['id']}/approve",
        json={"agreement": "DSA-2", "expires_at": "2031-01-01", "versions": [2]},
        headers=owner.headers,
    )
    assert approved.status_code == 200 and approved.json()["grant_covers"] == "version 2 only"
    rows = "/api/v1/datasets/wages/versions/{n}/rows"
    assert client.get(rows.format(n=2), headers=asker.headers).status_code == 200
    assert client.get(rows.format(n=1), headers=asker.headers).status_code == 403


def test_cli_grants_chosen_versions_and_says_what_it_opens(client: TestClient, node: Node) -> None:
    _two_versions(node, client)
    env = {"LABORCOMMONS_HOME": str(node.settings.home)}
    if node.settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = node.settings.database_url
    runner = CliRunner()
    limited = runner.invoke(
        app, ["grants", "create", "wages", "--organization", "legal-aid", "--version", "2"], env=env
    )
    assert limited.exit_code == 0, limited.output
    assert "version 2 only" in limited.output
    every = runner.invoke(
        app, ["grants", "create", "wages", "--organization", "legal-aid"], env=env
    )
    assert "every version" in " ".join(every.output.split())
    with unit_of_work(node.sessions) as session:
        assert list(session.scalars(select(Grant.versions).order_by(Grant.id))) == [[2], None]


def test_a_grantee_of_one_version_gets_its_page_links_and_download(
    client: TestClient, node: Node
) -> None:
    """Before: the page hid every download and version link unless all versions were open."""
    owner = _two_versions(node, client)
    reader = make_member(node, "n@legal-aid.example", "legal-aid", "viewer")
    client.post(
        "/api/v1/datasets/wages/grants",
        json={"organization": "legal-aid", "versions": [1]},
        headers=owner.headers,
    )
    browser = TestClient(client.app)
    sign_in(browser, reader)
    page = browser.get("/datasets/wages")
    assert page.status_code == 200
    assert "/datasets/wages/versions/1/download?format=csv" in page.text
    assert "/datasets/wages/versions/2/download" not in page.text
    assert "Anwar Hossain" in page.text and "P-01" not in page.text  # version 1 is shown
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "but not the rows" not in page.text
    download = browser.get("/datasets/wages/versions/1/download?format=csv")
    assert download.status_code == 200 and "Rina Begum" in download.text
    assert browser.get("/datasets/wages?version=2").text.count("P-01") == 0
