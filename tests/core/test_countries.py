"""One country rule for every surface: what the matcher maps, coverage, organizations and
entities accept too (they used to refuse "Great Britain", "U.K.", "Burma", "বাংলাদেশ")."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.countries import country_code
from laborcommons.core.node import Node
from tests.factories import make_member, make_org

SPELLINGS = {"Great Britain": "GB", "U.K.": "GB", "Burma": "MM", "বাংলাদেশ": "BD",
             "Viet Nam": "VN", "KHM": "KH", "bd": "BD"}  # fmt: skip


@pytest.mark.parametrize(("spelling", "code"), sorted(SPELLINGS.items()))
def test_the_rule_maps_common_spellings(spelling: str, code: str) -> None:
    assert country_code(spelling) == code


def test_every_surface_accepts_what_the_rule_maps(client: TestClient, node: Node) -> None:
    make_org(node, "union")
    owner = make_member(node, "owner@union.example", "union", "owner")
    spellings = sorted(SPELLINGS)
    expected = list(dict.fromkeys(SPELLINGS[s] for s in spellings))

    org = {
        "slug": "coalition",
        "name": "Coalition",
        "archetype": "advocate",
        "countries": spellings,
    }
    created = client.post("/api/v1/organizations", json=org, headers=owner.headers)
    assert created.status_code == 201, created.text
    assert created.json()["countries"] == expected

    dataset = {
        "slug": "wages",
        "organization": "union",
        "title": "Wages",
        "data_type": "other",
        "coverage": spellings,
    }
    made = client.post("/api/v1/datasets", json=dataset, headers=owner.headers)
    assert made.status_code == 201, made.text
    assert made.json()["coverage"] == expected

    for spelling, code in SPELLINGS.items():
        body = {"kind": "facility", "name": f"Mill {code}", "country": spelling}
        entity = client.post("/api/v1/entities", headers=owner.headers, json=body)
        assert entity.status_code == 201, (spelling, entity.text)
        assert entity.json()["country"] == code, spelling


def test_every_surface_refuses_what_names_no_country(client: TestClient, node: Node) -> None:
    make_org(node, "union")
    owner = make_member(node, "owner@union.example", "union", "owner")
    dataset = {
        "slug": "wages",
        "organization": "union",
        "title": "Wages",
        "data_type": "other",
        "coverage": ["Atlantis"],
    }
    refused = client.post("/api/v1/datasets", json=dataset, headers=owner.headers)
    assert refused.status_code == 422 and "Atlantis" in refused.text
    body = {"kind": "facility", "name": "Mill", "country": "Atlantis"}
    entity = client.post("/api/v1/entities", headers=owner.headers, json=body)
    assert entity.status_code == 422 and "Atlantis" in entity.text
