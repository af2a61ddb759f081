"""Entity search and entity pages, through the test client as a browser would use them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from laborcommons.access import NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.entities.schemas import EntityCreate, MergeRequest
from laborcommons.entities.service.merging import merge_entities
from laborcommons.entities.service.records import create_entity
from tests.web.steps import table_rows

PEOPLE = [
    {"kind": "facility", "name": "Phnom Penh Sewing Co., Ltd.", "country": "KH",
     "address": "Street 271, Sangkat Boeung Tumpun", "city": "Phnom Penh",
     "workers_min": 800, "workers_max": 1200,
     "identifiers": [{"scheme": "os_id", "value": "KH2019123ABCDE1"}]},
    {"kind": "facility", "name": "Công ty TNHH May Mặc Sài Gòn", "country": "Vietnam",
     "city": "Thành phố Hồ Chí Minh"},
    {"kind": "facility", "name": "İstanbul Örme Tekstil A.Ş.", "country": "Türkiye"},
    {"kind": "company", "name": "Phnom Penh Holdings", "country": "KH"},
]  # fmt: skip


@pytest.fixture
def made(node: Node) -> list[str]:
    lcids = []
    with unit_of_work(node.sessions) as session:
        for number, fields in enumerate(PEOPLE):
            entity = create_entity(
                EntityCreate.model_validate(fields),
                actor=NODE_ADMIN,
                session=session,
                seed=f"page-{number}",
            )
            lcids.append(entity.lcid)
    return lcids


def test_search_by_name_in_script_or_transliterated(client: TestClient, made: list[str]):
    for q in ["May Mặc Sài Gòn", "may mac sai gon"]:
        response = client.get("/entities", params={"q": q})
        assert response.status_code == 200
        rows = table_rows(response.text, "entities")
        assert [row[-1] for row in rows] == [made[1]], q
    assert 'rel="alternate"' in response.headers["link"]


def test_search_filters_by_country_and_kind(client: TestClient, made: list[str]):
    rows = table_rows(client.get("/entities", params={"q": "phnom penh"}).text, "entities")
    assert {row[-1] for row in rows} == {made[0], made[3]}
    companies = client.get("/entities", params={"q": "phnom penh", "kind": "company"})
    assert [row[-1] for row in table_rows(companies.text, "entities")] == [made[3]]
    turkey = client.get("/entities", params={"country": "Turkey"})
    assert [row[-1] for row in table_rows(turkey.text, "entities")] == [made[2]]
    assert "1 entity" in turkey.text


def test_a_bad_country_is_explained_on_the_page(client: TestClient, made: list[str]):
    response = client.get("/entities", params={"country": "Narnia"})
    assert response.status_code == 422
    assert "Narnia" in response.text and 'role="alert"' in response.text
    assert table_rows(response.text, "entities") == []


def test_entity_page_shows_names_identifiers_and_facts(client: TestClient, made: list[str]):
    response = client.get(f"/entities/{made[0]}")
    assert response.status_code == 200
    text = response.text
    assert "<h1>Phnom Penh Sewing Co., Ltd.</h1>" in text
    assert table_rows(text, "identifiers") == [["os_id", "KH2019123ABCDE1"]]
    assert "800 to 1200" in text  # a range, not false precision
    assert f'</api/v1/entities/{made[0]}>; rel="alternate"' in response.headers["link"]
    vietnamese = client.get(f"/entities/{made[1]}").text
    assert "Công ty TNHH May Mặc Sài Gòn" in vietnamese
    assert "In Latin letters: Cong ty TNHH May Mac Sai Gon" in vietnamese


def test_an_alias_redirects_to_the_canonical_page(client: TestClient, node: Node, made):
    with unit_of_work(node.sessions) as session:
        merge_entities(
            made[2],
            MergeRequest(into=made[1], reason="same site, audit 2024"),
            actor=NODE_ADMIN,
            session=session,
        )
    response = client.get(f"/entities/{made[2]}", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"/entities/{made[1]}"
    page = client.get(f"/entities/{made[1]}").text
    assert made[2] in page  # listed as a former ID
    assert "İstanbul Örme Tekstil A.Ş." in page  # its name is kept as another name
    history = table_rows(page, "history")
    assert any("absorbed" in row[1] and "same site, audit 2024" in row[3] for row in history)
    lower = client.get(f"/entities/{made[2].lower()}", follow_redirects=False)
    assert lower.status_code == 301


def test_unknown_and_malformed_ids(client: TestClient, made: list[str]):
    assert client.get("/entities/FKH0000000000Z").status_code in {400, 404}
    response = client.get("/entities/not-an-id")
    assert response.status_code in {400, 404}
    assert "text/html" in response.headers["content-type"]
