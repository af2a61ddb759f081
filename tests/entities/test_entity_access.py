"""Restricted rows never leak through shared entities: an access matrix of readers
(anonymous, another organization, a named grantee, a group member, the owner) x the level of
the list that brought the evidence (internal, named, group, public, open), over every
entity surface: API get/search/counts/exports/changes, reconciliation, web pages."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.access import ANONYMOUS, NODE_ADMIN, Reader
from laborcommons.catalog import service as catalog
from laborcommons.catalog.schemas import DatasetUpdate
from laborcommons.core.db import unit_of_work, utcnow
from laborcommons.entities.models import Entity, ReviewCandidate, RowLink
from laborcommons.entities.service.visibility import entity_visible, visible_entities_clause
from tests.entities.conftest import StandIn, World, link, reader_of
from tests.factories import (
    Member,
    ingest,
    make_dataset,
    make_grant,
    make_group,
    make_member,
    make_org,
)
from tests.web.steps import sign_in

LEVELS = ("internal", "named", "group", "public", "open")
READERS = ("anonymous", "outsider", "grantee", "grouped", "owner")
HIDDEN_NAME = "Zhejiang Hidden Dyeworks 浙江隐秘印染厂"
SECRET_SPELLING = "DHAKA KNIT COMPOSITE LTD"
SECRET_ADDRESS = "Secret Compound 7, Savar — 秘密"
SECRET = (
    "Facility Name,Address,Country,Latitude,Longitude\n"
    f'{SECRET_SPELLING},"{SECRET_ADDRESS}",Bangladesh,23.85,90.26\n'
    f'{HIDDEN_NAME},"仓库 9号, Shaoxing",China,30.0,120.58\n'
)


def sees(reader: str, level: str) -> bool:
    """What the spectrum says, written out by hand for the matrix."""
    if level in ("public", "open") or reader == "owner":
        return True
    if reader == "grantee":
        return level in ("named", "group")
    if reader == "grouped":
        return level == "group"
    return False


@dataclass
class Scene:
    world: World
    level: str
    members: dict[str, Member | None]
    hidden: str  # lcid of the facility only the secret list names
    dhaka: str  # lcid of a facility in the open list and (another spelling) the secret one

    def headers(self, reader: str) -> dict[str, str]:
        member = self.members[reader]
        return member.headers if member else {}

    def reader(self, name: str) -> Reader:
        member = self.members[name]
        return reader_of(self.world.node, member) if member else ANONYMOUS


def build(world: World, level: str) -> Scene:
    node = world.node
    make_org(node, "grantee-union")
    make_org(node, "fair-coalition")
    grantee = make_member(node, "viewer@grantee.example", "grantee-union", "viewer")
    grouped = make_member(node, "viewer@coalition.example", "fair-coalition", "viewer")
    make_group(node, "fair-wear", "fair-coalition")
    make_dataset(node, "secret-list", "garment-union", access=level, license="CC-BY-4.0")
    path = world.files / "secret.csv"
    path.write_text(SECRET, encoding="utf-8")
    ingest(node, "secret-list", path)
    make_grant(node, "secret-list", organization="grantee-union")
    make_grant(node, "secret-list", group="fair-wear")
    assert link(node, "suppliers").status == "done"
    job = link(node, "secret-list", reader=reader_of(node, world.owner))
    assert job.status == "done", job.error
    with unit_of_work(node.sessions) as session:
        by_name = {e.name: e.lcid for e in session.scalars(select(Entity))}
    members: dict[str, Member | None] = {
        "anonymous": None,
        "outsider": world.outsider,
        "grantee": grantee,
        "grouped": grouped,
        "owner": world.owner,
    }
    return Scene(world, level, members, by_name[HIDDEN_NAME], by_name["Dhaka Knit Composite Ltd."])


@pytest.fixture(params=LEVELS)
def scene(request: pytest.FixtureRequest, world: World, stand_in_engine: StandIn) -> Scene:
    return build(world, str(request.param))


def test_the_api_shows_exactly_the_visible_evidence(client: TestClient, scene: Scene) -> None:
    for who in READERS:
        visible = sees(who, scene.level)
        headers = scene.headers(who)
        cell = f"{who} x {scene.level}"
        got = client.get(f"/api/v1/entities/{scene.hidden}", headers=headers)
        assert got.status_code == (200 if visible else 404), cell
        if visible:
            body = got.json()
            assert body["name"] == HIDDEN_NAME and body["latitude"] == 30.0, cell
            assert [d["slug"] for d in body["datasets"]] == ["secret-list"], cell
        history = client.get(f"/api/v1/entities/{scene.hidden}/history", headers=headers)
        assert history.status_code == (200 if visible else 404), cell
        dhaka = client.get(f"/api/v1/entities/{scene.dhaka}", headers=headers).json()
        assert dhaka["name"] == "Dhaka Knit Composite Ltd.", cell
        text = json.dumps(dhaka, ensure_ascii=False)
        assert (SECRET_SPELLING in text) is visible, cell
        assert (SECRET_ADDRESS in text) is visible, cell
        slugs = {d["slug"] for d in dhaka["datasets"]}
        assert slugs == ({"suppliers", "secret-list"} if visible else {"suppliers"}), cell

        def total(headers: dict[str, str] = headers, **params: str) -> int:
            response = client.get("/api/v1/entities", params=params, headers=headers)
            assert response.status_code == 200
            return int(response.json()["total"])

        assert total(q="Hidden Dyeworks") == int(visible), cell
        assert total(q="隐秘") == int(visible), cell
        assert total(q="Secret Compound") == 0, cell  # addresses are no search key
        assert total(q="dhaka knit") == 1, cell
        assert total() == 5 + int(visible), cell  # the five open suppliers, and maybe one


def test_exports_hold_only_visible_entities_and_evidence(client: TestClient, scene: Scene) -> None:
    for who in READERS:
        visible = sees(who, scene.level)
        headers = scene.headers(who)
        cell = f"{who} x {scene.level}"
        bodies = {}
        for fmt in ("csv", "json", "geojson"):
            response = client.get(
                "/api/v1/entities/export", params={"format": fmt}, headers=headers
            )
            assert response.status_code == 200, cell
            bodies[fmt] = response.text
        rows = list(csv.DictReader(io.StringIO(bodies["csv"])))
        assert (scene.hidden in {r["lcid"] for r in rows}) is visible, cell
        entities = json.loads(bodies["json"])["entities"]
        assert (scene.hidden in {e["lcid"] for e in entities}) is visible, cell
        features = json.loads(bodies["geojson"])["features"]
        assert (scene.hidden in {f.get("id") for f in features}) is visible, cell
        for fmt, body in bodies.items():
            assert (HIDDEN_NAME in body) is visible, (cell, fmt)
            assert SECRET_ADDRESS not in body, (cell, fmt)  # Dhaka shows the open address
        dhaka = next(e for e in entities if e["lcid"] == scene.dhaka)
        assert dhaka["address"].startswith("Plot 12"), cell


def test_the_change_feed_holds_only_visible_events(client: TestClient, scene: Scene) -> None:
    with unit_of_work(scene.world.node.sessions) as session:
        secret_version = session.scalar(
            select(RowLink.version_id)
            .where(RowLink.entity_id.is_not(None))
            .order_by(RowLink.version_id.desc())
        )
    for who in READERS:
        visible = sees(who, scene.level)
        cell = f"{who} x {scene.level}"
        response = client.get(
            "/api/v1/entities/changes", params={"limit": 1000}, headers=scene.headers(who)
        )
        assert response.status_code == 200, cell
        items = response.json()["items"]
        assert (scene.hidden in {i["lcid"] for i in items}) is visible, cell
        sources = {
            i["evidence"].get("source_version_id", i["evidence"].get("version_id")) for i in items
        }
        assert (secret_version in sources) is visible, cell
        assert len(items) >= 5, cell  # the open suppliers' creations are there for all


def test_reconciliation_offers_only_visible_entities(client: TestClient, scene: Scene) -> None:
    for who in READERS:
        visible = sees(who, scene.level)
        headers = scene.headers(who)
        cell = f"{who} x {scene.level}"
        queries = {"q0": {"query": "Zhejiang Hidden Dyeworks"}, "q1": {"query": SECRET_SPELLING}}
        response = client.post(
            "/api/v1/reconcile", data={"queries": json.dumps(queries)}, headers=headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (scene.hidden in {c["id"] for c in body["q0"]["result"]}) is visible, cell
        dhaka = next(c for c in body["q1"]["result"] if c["id"] == scene.dhaka)
        assert dhaka["name"] == "Dhaka Knit Composite Ltd.", cell
        assert "Secret" not in dhaka["description"], cell
        preview = client.get(
            "/api/v1/reconcile/preview", params={"id": scene.hidden}, headers=headers
        )
        assert preview.status_code == (200 if visible else 404), cell
        dhaka_card = client.get(
            "/api/v1/reconcile/preview", params={"id": scene.dhaka}, headers=headers
        )
        assert dhaka_card.status_code == 200 and SECRET_ADDRESS not in dhaka_card.text, cell
        suggested = client.get(
            "/api/v1/reconcile/suggest/entity", params={"prefix": "Zhejiang"}, headers=headers
        ).json()["result"]
        assert (scene.hidden in {s["id"] for s in suggested}) is visible, cell


def test_web_pages_show_only_visible_entities_and_names(client: TestClient, scene: Scene) -> None:
    for who in READERS:
        visible = sees(who, scene.level)
        cell = f"{who} x {scene.level}"
        client.cookies.clear()
        member = scene.members[who]
        if member is not None:
            sign_in(client, member)
        found = client.get("/entities", params={"q": "Hidden Dyeworks"})
        assert found.status_code == 200, cell
        assert (scene.hidden in found.text) is visible, cell
        page = client.get(f"/entities/{scene.hidden}")
        assert page.status_code == (200 if visible else 404), cell
        assert (HIDDEN_NAME in page.text) is visible, cell
        dhaka = client.get(f"/entities/{scene.dhaka}")
        assert dhaka.status_code == 200, cell
        assert (SECRET_ADDRESS in dhaka.text) is visible, cell
        assert (SECRET_SPELLING in dhaka.text) is visible, cell
    client.cookies.clear()


def test_the_sql_form_agrees_with_the_policy_function(scene: Scene) -> None:
    with unit_of_work(scene.world.node.sessions) as session:
        entities = list(session.scalars(select(Entity).order_by(Entity.id)))
        for who in [*READERS, "admin"]:
            reader = NODE_ADMIN if who == "admin" else scene.reader(who)
            in_sql = set(session.scalars(select(Entity.id).where(visible_entities_clause(reader))))
            in_python = {
                e.id for e in entities if entity_visible(e, reader=reader, session=session)
            }
            assert in_sql == in_python, who
            hidden = next(e for e in entities if e.lcid == scene.hidden)
            expected = who == "admin" or sees(who, scene.level)
            assert (hidden.id in in_sql) is expected, who


@pytest.mark.parametrize("level", ["named", "group"])
def test_a_revoked_grant_or_a_lowered_level_hides_at_once(
    client: TestClient, world: World, stand_in_engine: StandIn, level: str
) -> None:
    scene = build(world, level)
    url = f"/api/v1/entities/{scene.hidden}"
    assert client.get(url, headers=scene.headers("grantee")).status_code == 200
    with unit_of_work(world.node.sessions) as session:
        catalog.update_dataset(
            "secret-list", DatasetUpdate(access="internal"), reader=NODE_ADMIN, session=session
        )
    assert client.get(url, headers=scene.headers("grantee")).status_code == 404
    assert client.get(url, headers=scene.headers("owner")).status_code == 200
    with unit_of_work(world.node.sessions) as session:
        catalog.update_dataset(
            "secret-list", DatasetUpdate(access="open"), reader=NODE_ADMIN, session=session
        )
    assert client.get(url).status_code == 200


def test_an_expiring_grant_hides_the_entity_on_the_next_request(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    scene = build(world, "internal")
    make_org(world.node, "short-lived")
    member = make_member(world.node, "viewer@short.example", "short-lived", "viewer")
    grant_id = make_grant(
        world.node,
        "secret-list",
        organization="short-lived",
        expires_at=utcnow() + timedelta(hours=1),
    )
    url = f"/api/v1/entities/{scene.hidden}"
    assert client.get(url, headers=member.headers).status_code == 404  # internal: grants wait
    with unit_of_work(world.node.sessions) as session:
        catalog.update_dataset(
            "secret-list", DatasetUpdate(access="named"), reader=NODE_ADMIN, session=session
        )
    assert client.get(url, headers=member.headers).status_code == 200
    from laborcommons.access.models import Grant

    with unit_of_work(world.node.sessions) as session:
        session.get_one(Grant, grant_id).expires_at = utcnow() - timedelta(seconds=1)
    assert client.get(url, headers=member.headers).status_code == 404


def test_matching_never_links_rows_to_an_entity_only_another_organization_sees(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    scene = build(world, "internal")
    node = world.node
    make_dataset(node, "watch-list", "brand-watch", access="internal")
    path = world.files / "watch.csv"
    path.write_text(
        "Facility Name,Address,Country\n"
        f'{HIDDEN_NAME},"Industrial Zone, Shaoxing",China\n'
        'Zhejiang Hidden Dye Works,"Industrial Zone, Shaoxing",China\n',
        encoding="utf-8",
    )
    ingest(node, "watch-list", path)
    job = link(node, "watch-list", reader=reader_of(node, world.outsider))
    assert job.status == "done", job.error
    assert job.counts["linked"] == 0 and job.counts["review"] == 0
    names_seen = [call for call in stand_in_engine.calls if call["existing"]]
    assert names_seen, "the engine was asked"
    with unit_of_work(node.sessions) as session:
        hidden_id = session.scalar(select(Entity.id).where(Entity.lcid == scene.hidden))
        links = session.scalars(select(RowLink.entity_id).where(RowLink.entity_id == hidden_id))
        assert sorted(set(links)) == [hidden_id]  # only the owner's own row
        candidates = session.scalars(
            select(ReviewCandidate.id).where(ReviewCandidate.entity_id == hidden_id)
        )
        assert list(candidates) == []
    # Each organization sees its own facility, under its own spelling; nobody else sees either.
    mine = client.get("/api/v1/entities", params={"q": "Hidden"}, headers=world.outsider.headers)
    assert [e["lcid"] for e in mine.json()["items"]] != [scene.hidden]
    assert mine.json()["total"] >= 1
    theirs = client.get("/api/v1/entities", params={"q": "Hidden"}, headers=world.owner.headers)
    assert scene.hidden in {e["lcid"] for e in theirs.json()["items"]}
    assert client.get("/api/v1/entities", params={"q": "Hidden"}).json()["total"] == 0


def test_review_candidates_show_only_what_the_reviewer_sees(
    world: World, stand_in_engine: StandIn
) -> None:
    from laborcommons.entities import service as entities

    scene = build(world, "internal")
    node = world.node
    make_dataset(node, "owner-second", "garment-union", access="internal")
    path = world.files / "second.csv"
    path.write_text("Facility Name,Country\nZhejiang Other Mill,China\n", encoding="utf-8")
    ingest(node, "owner-second", path)
    job = link(node, "owner-second", reader=reader_of(node, world.owner))
    assert job.counts["review"] == 1  # same first word as the hidden facility
    with unit_of_work(node.sessions) as session:
        owner_view = entities.list_candidates(reader=scene.reader("owner"), session=session)
        assert owner_view.total == 1
        assert owner_view.items[0].entity.name == HIDDEN_NAME
        outsider_view = entities.list_candidates(reader=scene.reader("outsider"), session=session)
        assert outsider_view.total == 0
        admin_view = entities.list_candidates(reader=NODE_ADMIN, session=session)
        assert admin_view.items[0].comparison["name"]["existing"] == HIDDEN_NAME


def test_a_merge_carries_visibility_and_the_shown_name_falls_back(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    scene = build(world, "internal")
    merged = client.post(
        f"/api/v1/entities/{scene.dhaka}/merge",
        json={"into": scene.hidden, "reason": "same site, two names"},
        headers=world.owner.headers,
    )
    assert merged.status_code == 200, merged.text
    owner_view = client.get(f"/api/v1/entities/{scene.hidden}", headers=world.owner.headers)
    assert owner_view.json()["name"] == HIDDEN_NAME
    public = client.get(f"/api/v1/entities/{scene.hidden}")
    assert public.status_code == 200  # the open list's evidence now belongs to it
    body = public.json()
    assert body["name"] == "Dhaka Knit Composite Ltd." and body["latitude"] is None
    text = json.dumps(body, ensure_ascii=False)
    assert HIDDEN_NAME not in text and SECRET_ADDRESS not in text and "隐秘" not in text
    assert client.get("/api/v1/entities", params={"q": "Hidden"}).json()["total"] == 0
    listed = client.get("/api/v1/entities", params={"country": "CN"}).json()["items"]
    assert [(e["lcid"], e["name"]) for e in listed if e["lcid"] == scene.hidden] == [
        (scene.hidden, "Dhaka Knit Composite Ltd.")
    ]
    with unit_of_work(world.node.sessions) as session:
        entities = list(session.scalars(select(Entity)))
        for who in READERS:
            reader = scene.reader(who)
            in_sql = set(session.scalars(select(Entity.id).where(visible_entities_clause(reader))))
            in_python = {
                e.id for e in entities if entity_visible(e, reader=reader, session=session)
            }
            assert {e.lcid for e in entities if e.id in in_sql and e.status == "active"} >= {
                scene.hidden
            }, who
            active = {e.id for e in entities if e.merged_into_id is None}
            assert in_sql == in_python & active, who
