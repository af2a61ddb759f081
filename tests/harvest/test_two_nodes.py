"""Node B harvests node A over loopback, through A's CKAN action API and its DCAT catalog."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from laborcommons.access import NODE_ADMIN
from laborcommons.api import create_app
from laborcommons.catalog import service as catalog
from laborcommons.catalog.schemas import DatasetUpdate
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node, open_node
from laborcommons.core.settings import Settings
from laborcommons.harvest import add_source, run_source
from laborcommons.harvest.schemas import RunResult, SourceCreate
from tests.factories import make_dataset, make_member, make_org
from tests.live import serve

URLS = {"ckan": "{base}", "dcat": "{base}/catalog.ttl"}


@pytest.fixture
def origin(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[Node, str]]:
    """Node A (SQLite) served on loopback, with an open, a discoverable and a hidden dataset."""
    home = tmp_path / "node-a"
    home.mkdir()
    shutil.copyfile(sqlite_template, home / "laborcommons.db")
    node_a = open_node(Settings(home=home))
    make_org(node_a, "union")
    wages = {"keywords": ["wages"], "description": "Monthly wages in garment factories"}
    make_dataset(node_a, "wages", "union", access="open", license="CC-BY-4.0", **wages)
    make_dataset(node_a, "audits", "union", access="group", discoverable=True)
    make_dataset(node_a, "cases", "union", title="Secret case files")  # internal, hidden
    try:
        with serve(create_app(node=node_a)) as base:
            yield node_a, base
    finally:
        node_a.dispose()


def harvest(node: Node, slug: str) -> RunResult:
    return run_source(slug, reader=NODE_ADMIN, sessions=node.sessions)


def add(node: Node, kind: str, base: str) -> None:
    with unit_of_work(node.sessions) as session:
        data = SourceCreate(slug=f"a-{kind}", kind=kind, url=URLS[kind].format(base=base))  # type: ignore[arg-type]
        add_source(data, reader=NODE_ADMIN, session=session)


def titles(client: TestClient) -> dict[str, str]:
    body = client.get("/api/v1/harvest/remote-datasets").json()
    return {item["title"]: item["origin_url"] for item in body["items"]}


def update(node: Node, slug: str, **changes: object) -> None:
    with unit_of_work(node.sessions) as session:
        data = DatasetUpdate.model_validate(changes)
        catalog.update_dataset(f"union~{slug}", data, reader=NODE_ADMIN, session=session)


@pytest.mark.parametrize("kind", ["ckan", "dcat"])
def test_b_lists_a_discoverable_datasets_and_follows_changes(
    kind: str, node: Node, client: TestClient, origin: tuple[Node, str]
) -> None:
    node_a, base = origin
    add(node, kind, base)
    result = harvest(node, f"a-{kind}")
    assert result.source.status == "ok", result.source.last_error
    assert (result.added, result.source.last_count) == (2, 2)
    found = titles(client)
    assert set(found) == {"Wages", "Audits"}  # the hidden dataset never crosses over
    assert all(url.startswith(base + "/datasets/union~") for url in found.values())
    page = client.get("/harvested")
    assert page.status_code == 200 and "Harvested from" in page.text
    assert "Secret case files" not in page.text and f'href="{found["Wages"]}"' in page.text
    assert client.get("/api/v1/harvest/remote-datasets?q=garment").json()["total"] == 1

    update(node_a, "wages", title="Garment wages 2026")
    update(node_a, "audits", access="internal", discoverable=False)
    again = harvest(node, f"a-{kind}")
    assert (again.added, again.updated, again.removed) == (0, 1, 1)
    assert set(titles(client)) == {"Garment wages 2026"}


def test_node_admins_alone_manage_sources(node: Node, client: TestClient) -> None:
    from tests.factories import make_member

    make_org(node, "union")
    member = make_member(node, "owner@union.example", "union", "owner")
    admin = make_member(node, "admin@node.example", admin=True)
    body = {"slug": "partner", "kind": "ckan", "url": "http://127.0.0.1:9"}
    assert client.post("/api/v1/harvest/sources", json=body).status_code == 401
    refused = client.post("/api/v1/harvest/sources", json=body, headers=member.headers)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    added = client.post("/api/v1/harvest/sources", json=body, headers=admin.headers)
    assert added.status_code == 201 and added.json()["created_by"] == "admin@node.example"
    assert client.post("/api/v1/harvest/sources/partner/run").status_code == 401
    bad = {**body, "slug": "other", "url": "file:///etc/passwd"}
    assert (
        client.post("/api/v1/harvest/sources", json=bad, headers=admin.headers).status_code == 422
    )
    assert client.get("/api/v1/harvest/remote-datasets?bogus=1").status_code == 400


@pytest.mark.parametrize(
    "url", ["{base}", "{base}/catalog.ttl", "{base}/catalog.jsonld", "{base}/catalog.rdf"]
)
def test_pages_are_followed_in_every_format(
    url: str,
    node: Node,
    client: TestClient,
    origin: tuple[Node, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("laborcommons.harvest.ckan.ROWS", 1)
    monkeypatch.setattr("laborcommons.catalog.standards.documents.CATALOG_PAGE_SIZE", 1)
    _node_a, base = origin
    kind = "ckan" if url == "{base}" else "dcat"
    admin = make_member(node, "admin@b.example", admin=True)
    body = {"slug": "node-a", "kind": kind, "url": url.format(base=base)}
    assert (
        client.post("/api/v1/harvest/sources", json=body, headers=admin.headers).status_code == 201
    )
    ran = client.post("/api/v1/harvest/sources/node-a/run", headers=admin.headers)
    assert ran.status_code == 200, ran.text
    assert ran.json()["source"]["status"] == "ok", ran.json()["source"]["last_error"]
    assert set(titles(client)) == {"Wages", "Audits"}
    first = client.get("/api/v1/harvest/remote-datasets?page_size=1").json()
    assert first["total"] == 2 and first["next"].endswith("page=2")


def test_the_hidden_dataset_is_its_owners_alone(
    node: Node, client: TestClient, origin: tuple[Node, str]
) -> None:
    """On A its owner finds the internal dataset; B, harvesting anonymously, never lists it,
    whoever asks B."""
    node_a, base = origin
    owner = make_member(node_a, "owner@union.example", "union", "owner")
    with httpx.Client() as http:
        mine = http.get(f"{base}/api/v1/datasets", headers=owner.headers).json()
        anyone = http.get(f"{base}/api/v1/datasets").json()
    assert "Secret case files" in {d["title"] for d in mine["items"]}
    assert "Secret case files" not in {d["title"] for d in anyone["items"]}
    for kind in ("ckan", "dcat"):
        add(node, kind, base)
        assert harvest(node, f"a-{kind}").source.status == "ok"
    admin = make_member(node, "admin@b.example", admin=True)
    for headers in ({}, admin.headers):
        listed = client.get("/api/v1/harvest/remote-datasets", headers=headers).json()
        assert listed["total"] == 4
        assert "Secret case files" not in {i["title"] for i in listed["items"]}
    assert "Secret case files" not in client.get("/harvested?q=secret").text
