"""Who sees what, on every route that touches rows or metadata, at every access level.

Each cell is the exact status a reader gets; a hidden dataset must answer 404 (never 403),
so its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import Member, make_dataset, make_member, make_org

LICENSE_FOR = {"open": "CC-BY-4.0", "public": "CC-BY-NC-4.0"}
CSV = b"facility,country\nDhaka Knit Ltd,BD\n"
READERS = ["anonymous", "other_org", "viewer", "editor", "owner", "admin"]


@dataclass
class World:
    members: dict[str, Member]

    def headers(self, who: str) -> dict[str, str]:
        return {} if who == "anonymous" else self.members[who].headers


@pytest.fixture
def world(node: Node, client: TestClient) -> World:
    make_org(node, "union")
    make_org(node, "rival", archetype="compliance-aggregator")
    members = {
        "other_org": make_member(node, "o@rival.example", "rival", "owner"),
        "viewer": make_member(node, "v@union.example", "union", "viewer"),
        "editor": make_member(node, "e@union.example", "union", "editor"),
        "owner": make_member(node, "w@union.example", "union", "owner"),
        "admin": make_member(node, "admin@node.example", admin=True),
    }
    for level in ("internal", "named", "group", "public", "open"):
        make_dataset(node, f"ds-{level}", "union", access=level, license=LICENSE_FOR.get(level))
        response = client.post(
            f"/api/v1/datasets/ds-{level}/versions",
            files={"file": ("f.csv", CSV)},
            headers=members["owner"].headers,
        )
        assert response.status_code == 201
    return World(members)


def expected_read(level: str, who: str) -> int:
    if level in {"public", "open"}:
        return 200
    return 200 if who in {"viewer", "editor", "owner", "admin"} else 404


def expected_write(level: str, who: str) -> int:
    visible = expected_read(level, who) == 200
    if not visible:
        return 404
    if who in {"editor", "owner", "admin"}:
        return 200
    return 401 if who == "anonymous" else 403


READ_ROUTES = [
    "/api/v1/datasets/{slug}",
    "/api/v1/datasets/{slug}/versions",
    "/api/v1/datasets/{slug}/versions/1",
    "/api/v1/datasets/{slug}/versions/1/rows",
    "/api/v1/datasets/{slug}/versions/1/download?format=csv",
    "/api/v1/datasets/{slug}/versions/1/download?format=parquet",
]


@pytest.mark.parametrize("level", ["internal", "named", "group", "public", "open"])
def test_read_matrix(client: TestClient, world: World, level: str) -> None:
    for who in READERS:
        for route in READ_ROUTES:
            response = client.get(route.format(slug=f"ds-{level}"), headers=world.headers(who))
            assert response.status_code == expected_read(level, who), (who, route)
            if response.status_code == 404:
                assert response.json()["error"]["code"] == "not-found"


@pytest.mark.parametrize("level", ["internal", "public"])
def test_write_matrix(client: TestClient, world: World, level: str) -> None:
    slug = f"ds-{level}"
    for who in READERS:
        patch = client.patch(
            f"/api/v1/datasets/{slug}", json={"description": who}, headers=world.headers(who)
        )
        assert patch.status_code == expected_write(level, who), who
        post = client.post(
            f"/api/v1/datasets/{slug}/versions",
            files={"file": ("f.csv", CSV + who.encode() + b",KH\n")},
            headers=world.headers(who),
        )
        assert post.status_code == {200: 201}.get(
            expected_write(level, who), expected_write(level, who)
        ), who


def test_hidden_datasets_count_nowhere(client: TestClient, world: World) -> None:
    for who in READERS:
        listed = client.get("/api/v1/datasets", headers=world.headers(who)).json()
        slugs = {d["slug"] for d in listed["items"]}
        expected = {
            f"ds-{lvl}"
            for lvl in ("internal", "named", "group", "public", "open")
            if expected_read(lvl, who) == 200
        }
        assert slugs == expected, who
        assert listed["total"] == len(expected)
        org = client.get("/api/v1/organizations/union", headers=world.headers(who)).json()
        assert org["dataset_count"] == len(expected), who


def test_bad_or_revoked_token_is_401(client: TestClient, world: World, node: Node) -> None:
    bad = client.get("/api/v1/datasets", headers={"Authorization": "Bearer lct_nope"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == "Bearer"
    from laborcommons.access import revoke_token
    from laborcommons.core.db import unit_of_work

    token = world.members["owner"].token
    with unit_of_work(node.sessions) as session:
        revoke_token(token, session=session)
    revoked = client.get(
        "/api/v1/datasets/ds-internal", headers={"Authorization": f"Bearer {token}"}
    )
    assert revoked.status_code == 401


def test_creating_needs_membership(client: TestClient, world: World) -> None:
    body = {"slug": "new-one", "organization": "union", "title": "T", "data_type": "other"}
    assert client.post("/api/v1/datasets", json=body).status_code == 401
    assert (
        client.post("/api/v1/datasets", json=body, headers=world.headers("other_org")).status_code
        == 403
    )
    assert (
        client.post("/api/v1/datasets", json=body, headers=world.headers("viewer")).status_code
        == 403
    )
    assert (
        client.post("/api/v1/datasets", json=body, headers=world.headers("editor")).status_code
        == 201
    )
    again = client.post("/api/v1/datasets", json=body, headers=world.headers("editor"))
    assert again.status_code == 409
