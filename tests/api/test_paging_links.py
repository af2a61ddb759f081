"""Every paged list says ``Link: <next>; rel="next"`` beside its body's ``next``, and
nothing when there is no next page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from laborcommons.core.pagination import link_header
from tests.factories import Member, ingest, make_dataset, make_member, make_org


@pytest.fixture
def owner(node: Node, tmp_path: Path, client: TestClient) -> Member:
    make_org(node, "union")
    member = make_member(node, "owner@union.example", "union", "owner")
    for slug in ("wages-a", "wages-b", "wages-c"):
        make_dataset(node, slug, "union", access="open", license="CC-BY-4.0")
    rows = tmp_path / "rows.csv"
    rows.write_text("facility,country\nDhaka Knit,BD\nSaigon Sewing,VN\nLima Hilos,PE\n")
    ingest(node, "wages-a", rows)
    make_dataset(node, "cases", "union", access="internal")
    ingest(node, "cases", rows)
    for _ in range(2):  # two audited reads: a trail of two pages of one
        assert client.get(
            "/api/v1/datasets/cases/versions/1/rows", headers=member.headers
        ).is_success
    for name in ("Dhaka Knit", "Dhaka Knit Two", "Dhaka Knit Three"):
        made = client.post(
            "/api/v1/entities",
            json={"kind": "facility", "name": name, "country": "BD"},
            headers=member.headers,
        )
        assert made.status_code == 201, made.text
    return member


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/datasets?page_size=2",
        "/api/v1/datasets/wages-a/versions/1/rows?_size=2",
        "/api/v1/entities?page_size=2",
        "/api/v1/entities/changes?limit=2",
        "/api/v1/datasets/cases/audit?page_size=1&action=rows.read",
    ],
)
def test_a_page_with_a_next_page_links_it_in_a_header(
    client: TestClient, owner: Member, path: str
) -> None:
    response = client.get(path, headers=owner.headers)
    assert response.status_code == 200, response.text
    following = response.json()["next"]
    assert following
    assert response.headers["link"] == link_header(following)
    assert response.links["next"]["url"] == following
    head = client.head(path, headers=owner.headers)
    assert head.headers["link"] == response.headers["link"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/datasets?page_size=50",
        "/api/v1/datasets/wages-a/versions/1/rows",
        "/api/v1/entities/changes?limit=1000",
        "/api/v1/datasets/wages-a",
    ],
)
def test_the_last_page_and_other_answers_have_no_next_link(
    client: TestClient, owner: Member, path: str
) -> None:
    response = client.get(path, headers=owner.headers)
    assert response.status_code == 200, response.text
    assert response.json().get("next") is None
    assert "link" not in response.headers
