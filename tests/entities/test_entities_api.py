"""Entities over HTTP: create, search, identifiers, merge (alias 301), split, history."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from laborcommons.core import stable_id
from tests.entities.conftest import StandIn, World, link

GOOD_LEI = "529900T8BM49AURSDO55"
BAD_LEI = "529900T8BM49AURSDO56"


def create(client: TestClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/entities", json={"kind": "facility", **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_an_entity_keeps_its_name_as_given_and_is_found_both_ways(
    client: TestClient, world: World
) -> None:
    made = create(
        client,
        world.owner.headers,
        name="东莞永发制衣厂",
        country="China",
        address="广东省东莞市虎门镇",
        workers_min=500,
        workers_max=1000,
    )
    assert made["name"] == "东莞永发制衣厂"
    assert made["country"] == "CN"
    assert (made["workers_min"], made["workers_max"]) == (500, 1000)
    assert stable_id.parse(made["lcid"]).country == "CN"
    for q in ("永发", "dong guan yong fa", "YongFa"):
        found = client.get("/api/v1/entities", params={"q": q}).json()
        assert [e["lcid"] for e in found["items"]] == [made["lcid"]], q
    assert (
        client.get("/api/v1/entities", params={"q": "永发", "country": "VN"}).json()["total"] == 0
    )


def test_search_pages_have_a_next_link(client: TestClient, world: World) -> None:
    for n in range(3):
        create(client, world.owner.headers, name=f"Tongi Knit {n}", country="BD")
    first = client.get("/api/v1/entities", params={"q": "tongi", "page_size": 2}).json()
    assert first["total"] == 3 and len(first["items"]) == 2
    second = client.get(first["next"]).json()
    assert len(second["items"]) == 1 and second["next"] is None


def test_bad_input_names_the_field(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/entities",
        headers=world.owner.headers,
        json={"kind": "facility", "name": "X", "country": "Atlantis"},
    )
    assert response.status_code == 422
    assert "Atlantis" in response.json()["error"]["message"]
    ranged = client.post(
        "/api/v1/entities",
        headers=world.owner.headers,
        json={"kind": "facility", "name": "X", "workers_min": 900, "workers_max": 100},
    )
    assert ranged.status_code == 422


def test_lei_check_digits_are_validated_and_identifiers_unique(
    client: TestClient, world: World
) -> None:
    bad = client.post(
        "/api/v1/entities",
        headers=world.owner.headers,
        json={
            "kind": "company",
            "name": "Zara SA",
            "identifiers": [{"scheme": "lei", "value": BAD_LEI}],
        },
    )
    assert bad.status_code == 422 and "lei" in bad.json()["error"]["message"]
    assert client.get("/api/v1/entities", params={"q": "zara"}).json()["total"] == 0
    company = create(
        client,
        world.owner.headers,
        kind="company",
        name="Inditex SA",
        identifiers=[{"scheme": "LEI", "value": GOOD_LEI.lower()}],
    )
    assert company["identifiers"] == [{"scheme": "lei", "value": GOOD_LEI}]
    found = client.get("/api/v1/entities", params={"scheme": "lei", "identifier": GOOD_LEI})
    assert [e["lcid"] for e in found.json()["items"]] == [company["lcid"]]
    other = create(client, world.owner.headers, kind="company", name="Industria de Diseño")
    clash = client.post(
        f"/api/v1/entities/{other['lcid']}/identifiers",
        json={"scheme": "lei", "value": GOOD_LEI},
        headers=world.owner.headers,
    )
    assert clash.status_code == 409 and company["lcid"] not in clash.text


def test_unknown_and_malformed_ids(client: TestClient, world: World) -> None:
    unknown = stable_id.compose("facility", "BD", stable_id.body_for("nobody"))
    assert client.get(f"/api/v1/entities/{unknown}").status_code == 404
    typo = unknown[:-1] + ("0" if unknown[-1] != "0" else "1")
    response = client.get(f"/api/v1/entities/{typo}")
    assert response.status_code == 400
    assert "check character" in response.json()["error"]["message"]


def test_merge_turns_the_old_id_into_an_alias_answered_with_301(
    client: TestClient, world: World
) -> None:
    keep = create(client, world.owner.headers, name="Dhaka Knit Composite", country="BD")
    old = create(
        client,
        world.owner.headers,
        name="Dhaka Knitt Composit Ltd",
        country="BD",
        identifiers=[{"scheme": "os_id", "value": "BD2019303BQ3FZB"}],
    )
    merged = client.post(
        f"/api/v1/entities/{old['lcid']}/merge",
        headers=world.owner.headers,
        json={
            "into": keep["lcid"],
            "reason": "same factory, audit 2024",
            "evidence": {"audit": "A-17"},
        },
    )
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["lcid"] == keep["lcid"] and body["aliases"] == [old["lcid"]]
    assert {"scheme": "os_id", "value": "BD2019303BQ3FZB"} in body["identifiers"]
    assert "Dhaka Knitt Composit Ltd" in [n["name"] for n in body["names"]]

    redirect = client.get(f"/api/v1/entities/{old['lcid']}", follow_redirects=False)
    assert redirect.status_code == 301
    assert redirect.headers["location"].endswith(f"/api/v1/entities/{keep['lcid']}")
    assert client.get(f"/api/v1/entities/{old['lcid']}").json()["lcid"] == keep["lcid"]
    typed = client.get(f"/api/v1/entities/{keep['lcid'].lower()}", follow_redirects=False)
    assert typed.status_code == 301 and typed.headers["location"].endswith(keep["lcid"])
    by_id = client.get(
        "/api/v1/entities", params={"scheme": "os_id", "identifier": "BD2019303BQ3FZB"}
    ).json()
    assert [e["lcid"] for e in by_id["items"]] == [keep["lcid"]]
    assert client.get("/api/v1/entities", params={"q": "knitt"}).json()["total"] == 0

    again = client.post(
        f"/api/v1/entities/{old['lcid']}/merge",
        headers=world.owner.headers,
        json={"into": keep["lcid"], "reason": "twice"},
    )
    assert again.status_code == 409

    history = client.get(f"/api/v1/entities/{old['lcid']}/history").json()
    merge_event = next(e for e in history if e["event"] == "merged")
    assert merge_event["actor"] == "owner@union.example"
    assert merge_event["reason"] == "same factory, audit 2024"
    assert merge_event["evidence"] == {"audit": "A-17"}
    assert merge_event["other_lcid"] == keep["lcid"]


def test_the_change_feed_lets_integrators_catch_up(client: TestClient, world: World) -> None:
    a = create(client, world.owner.headers, name="Phnom Penh Garment A", country="KH")
    b = create(client, world.owner.headers, name="Phnom Penh Garment B", country="KH")
    start = client.get("/api/v1/entities/changes").json()["next_since"]
    client.post(
        f"/api/v1/entities/{b['lcid']}/merge",
        headers=world.owner.headers,
        json={"into": a["lcid"], "reason": "duplicate"},
    )
    feed = client.get("/api/v1/entities/changes", params={"since": start}).json()
    assert [(e["event"], e["lcid"], e["other_lcid"]) for e in feed["items"]] == [
        ("merged", b["lcid"], a["lcid"]),
        ("absorbed", a["lcid"], b["lcid"]),
    ]
    after = client.get("/api/v1/entities/changes", params={"since": feed["next_since"]}).json()
    assert after["items"] == [] and after["next_since"] == feed["next_since"]
    page = client.get("/api/v1/entities/changes", params={"since": 0, "limit": 1}).json()
    assert len(page["items"]) == 1 and page["next"]


def test_split_mints_new_ids_and_moves_identifiers(client: TestClient, world: World) -> None:
    both = create(
        client,
        world.owner.headers,
        name="Gazipur Apparel Park",
        country="BD",
        identifiers=[
            {"scheme": "os_id", "value": "BD2020001AAAAAX"},
            {"scheme": "os_id", "value": "BD2020001BBBBB2"},
        ],
    )
    body = {
        "reason": "two buildings, two employers",
        "parts": [
            {
                "name": "Gazipur Apparel Park Unit 1",
                "identifiers": [{"scheme": "os_id", "value": "BD2020001AAAAAX"}],
            },
            {"name": "Gazipur Apparel Park Unit 2", "country": "BD"},
        ],
    }
    response = client.post(
        f"/api/v1/entities/{both['lcid']}/split", json=body, headers=world.owner.headers
    )
    assert response.status_code == 201, response.text
    parts = [p["lcid"] for p in response.json()["parts"]]
    assert len(set(parts)) == 2 and both["lcid"] not in parts
    assert all(stable_id.parse(p).country == "BD" for p in parts)
    expected = stable_id.mint("facility", "BD", f"split|{both['lcid']}|0", taken=lambda _: False)
    assert parts[0] == expected  # seeded by the original: the same on every node
    original = client.get(f"/api/v1/entities/{both['lcid']}").json()
    assert original["status"] == "split" and original["split_into"] == parts
    moved = client.get(
        "/api/v1/entities", params={"scheme": "os_id", "identifier": "BD2020001AAAAAX"}
    ).json()
    assert [e["lcid"] for e in moved["items"]] == [parts[0]]
    unknown = client.post(
        f"/api/v1/entities/{parts[1]}/split",
        headers=world.owner.headers,
        json={
            "reason": "x",
            "parts": [
                {"name": "a", "identifiers": [{"scheme": "lei", "value": GOOD_LEI}]},
                {"name": "b"},
            ],
        },
    )
    assert unknown.status_code == 422 and "part 1" in unknown.json()["error"]["message"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("viewer", 403), ("outsider", 403), ("editor", 200), ("admin", 200)],
)
def test_who_may_merge_entities_from_an_organizations_list(
    client: TestClient, world: World, stand_in_engine: StandIn, who: str, status: int
) -> None:
    job = link(world.node, "suppliers")
    assert job.status == "done" and job.counts["new"] == 5
    listed = client.get("/api/v1/entities", params={"q": "dhaka knit"}).json()["items"]
    other = create(client, world.owner.headers, name="Dhaka Knit Composite (Tongi)", country="BD")
    headers = {} if who == "anonymous" else getattr(world, who).headers
    response = client.post(
        f"/api/v1/entities/{other['lcid']}/merge",
        headers=headers,
        json={"into": listed[0]["lcid"], "reason": "same site"},
    )
    assert response.status_code == status, response.text
    merged = client.get(f"/api/v1/entities/{other['lcid']}", follow_redirects=False)
    assert (merged.status_code == 301) == (status == 200)
