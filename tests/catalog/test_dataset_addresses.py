"""Slugs are per organization: creating a dataset says nothing about hidden ones, and an
address never silently means a dataset the reader does not see."""

from __future__ import annotations

from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import make_dataset, make_member, make_org

API = "/api/v1/datasets"


def _body(org: str, access: str = "internal") -> dict[str, object]:
    body: dict[str, object] = {
        "slug": "wages",
        "organization": org,
        "title": "Wages",
        "data_type": "working-conditions",
        "access": access,
    }
    if access in {"public", "open"}:
        body["license"] = "CC-BY-4.0"
    return body


def test_a_hidden_slug_is_free_for_another_organization(client: TestClient, node: Node) -> None:
    """Before: 409 "dataset 'wages' already exists" told B that A holds a hidden 'wages'."""
    make_org(node, "union")
    make_org(node, "ngo")
    make_dataset(node, "wages", "union", access="internal")
    ngo = make_member(node, "e@ngo.example", "ngo", "editor")
    created = client.post(API, json=_body("ngo", "public"), headers=ngo.headers)
    assert created.status_code == 201, created.text
    assert created.json()["address"] == "ngo~wages"
    missing = client.post(API, json={**_body("ngo"), "slug": "never-used"}, headers=ngo.headers)
    assert missing.status_code == 201  # the same answer as for a slug nobody holds
    # A bare slug names the one dataset a reader sees; a reader who sees both must choose.
    assert client.get(f"{API}/wages", headers=ngo.headers).json()["address"] == "ngo~wages"
    assert client.get(f"{API}/wages").json()["address"] == "ngo~wages"
    union = make_member(node, "o@union.example", "union", "owner")
    assert client.get(f"{API}/wages", headers=union.headers).status_code == 409
    mine = client.get(f"{API}/union~wages", headers=union.headers)
    assert mine.json()["address"] == "union~wages"


def test_a_qualified_hidden_address_answers_like_a_missing_one(
    client: TestClient, node: Node
) -> None:
    make_org(node, "union")
    make_dataset(node, "wages", "union", access="internal")
    hidden, missing = client.get(f"{API}/union~wages"), client.get(f"{API}/union~absent")
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert (
        hidden.json()["error"]["message"].replace("wages", "absent")
        == (missing.json()["error"]["message"])
    )


def test_a_reader_who_sees_two_twins_is_asked_to_choose(client: TestClient, node: Node) -> None:
    make_org(node, "union")
    make_org(node, "ngo")
    make_dataset(node, "wages", "union", access="internal")
    ngo = make_member(node, "e@ngo.example", "ngo", "editor")
    assert client.post(API, json=_body("ngo"), headers=ngo.headers).status_code == 201
    admin = make_member(node, "root@node.example", admin=True)
    both = client.get(f"{API}/wages", headers=admin.headers)
    assert both.status_code == 409
    assert both.json()["error"]["details"]["addresses"] == ["ngo~wages", "union~wages"]
    one = client.get(f"{API}/union~wages", headers=admin.headers)
    assert one.status_code == 200 and one.json()["organization"] == "union"


def test_a_visible_twin_refuses_the_slug(client: TestClient, node: Node) -> None:
    make_org(node, "union")
    make_org(node, "ngo")
    make_dataset(node, "wages", "union", access="public", license="CC-BY-4.0")
    ngo = make_member(node, "e@ngo.example", "ngo", "editor")
    taken = client.post(API, json=_body("ngo"), headers=ngo.headers)
    assert taken.status_code == 409 and "union~wages" in taken.json()["error"]["message"]
    mine = client.post(API, json={**_body("ngo"), "slug": "ngo-wages"}, headers=ngo.headers)
    assert mine.status_code == 201
    again = client.post(API, json={**_body("ngo"), "slug": "ngo-wages"}, headers=ngo.headers)
    assert again.status_code == 409


def test_widening_a_level_cannot_shadow_a_dataset_the_editor_sees(
    client: TestClient, node: Node
) -> None:
    """A's hidden twin made public would make B's public address ambiguous for everyone."""
    make_org(node, "union")
    make_org(node, "ngo")
    union = make_member(node, "o@union.example", "union", "owner")
    assert client.post(API, json=_body("union"), headers=union.headers).status_code == 201
    ngo = make_member(node, "e@ngo.example", "ngo", "editor")
    public = client.post(API, json=_body("ngo", "public"), headers=ngo.headers)
    assert public.status_code == 201
    widened = client.patch(
        f"{API}/union~wages",
        json={"access": "public", "license": "CC-BY-4.0"},
        headers=union.headers,
    )
    assert widened.status_code == 409 and "ngo~wages" in widened.json()["error"]["message"]
    assert client.get(f"{API}/wages").json()["organization"] == "ngo"
