"""The entity page's editing forms (merge, split, identifier, relation), through the test
client as a browser sends them: success answers 303 with a flash, bad input the page again
with the problem next to its field, readers without the right 403, a hidden entity 404."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.access import NODE_ADMIN
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.core.stable_id import body_for, compose
from laborcommons.entities.schemas import EntityCreate
from laborcommons.entities.service import create_entity
from tests.factories import Member, ingest, make_dataset, make_member, make_org
from tests.web.steps import csrf_from, sign_in, table_rows

OS_ID = "CN2019303BQ3FZP"
MISSING = compose("facility", "CN", body_for("never minted"))


@dataclass
class Scene:
    mine: str  # a facility no dataset mentions: any editor may change it
    twin: str  # another spelling of it
    brand: str
    theirs: str  # from another organization's open list: visible, not ours to change
    hidden: str  # from another organization's internal list: not even visible


def entity(node: Node, kind: str, name: str, *, version_id: int | None = None) -> str:
    with unit_of_work(node.sessions) as session:
        data = EntityCreate(kind=kind, name=name, country="CN")  # type: ignore[arg-type]
        made = create_entity(
            data, actor=NODE_ADMIN, session=session, seed=name, source_version_id=version_id
        )
        return made.lcid


def version_of(node: Node, tmp_path: Path, slug: str, access: str) -> int:
    extra = {"license": "CC-BY-4.0"} if access == "open" else {}
    make_dataset(node, slug, "voice-app", access=access, **extra)  # type: ignore[arg-type]
    path = tmp_path / f"{slug}.csv"
    path.write_text("name,country\nSomething,CN\n")
    ingest(node, slug, path)
    with unit_of_work(node.sessions) as session:
        query = select(DatasetVersion.id).join(Dataset).where(Dataset.slug == slug)
        return int(session.scalars(query).one())


@pytest.fixture
def scene(node: Node, owner: Member, tmp_path: Path) -> Scene:
    make_org(node, "voice-app", "worker-voice")
    return Scene(
        mine=entity(node, "facility", "Yongfa Garments"),
        twin=entity(node, "facility", "Yong Fa Garment Factory"),
        brand=entity(node, "brand", "Harbor & Pine"),
        theirs=entity(
            node,
            "facility",
            "Voice Listed Mill",
            version_id=version_of(node, tmp_path, "vl", "open"),
        ),
        hidden=entity(
            node,
            "facility",
            "Secret Dyeworks",
            version_id=version_of(node, tmp_path, "sd", "internal"),
        ),
    )


def post(client: TestClient, lcid: str, form: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    token = csrf_from(client, f"/entities/{lcid}")
    return client.post(
        f"/entities/{lcid}/{form}", data={"csrf_token": token, **data}, follow_redirects=False
    )


def test_forms_show_only_to_readers_who_may_change(client: TestClient, scene: Scene, owner):
    assert "Change this entity" not in client.get(f"/entities/{scene.mine}").text
    sign_in(client, owner)
    page = client.get(f"/entities/{scene.mine}")
    assert "Change this entity" in page.text and "private" in page.headers["cache-control"]
    assert "Change this entity" not in client.get(f"/entities/{scene.theirs}").text


def test_merge_another_into_this_one_keeps_the_reason(client: TestClient, scene: Scene, owner):
    sign_in(client, owner)
    data = {"other": scene.twin.lower(), "direction": "from", "reason": "same address"}
    response = post(client, scene.mine, "merge", data)
    assert response.status_code == 303
    assert response.headers["location"] == f"/entities/{scene.mine}"
    page = client.get(f"/entities/{scene.mine}").text
    assert f"Merged {scene.twin} into {scene.mine}" in page
    history = table_rows(page, "history")
    assert any(r[1] == f"absorbed {scene.twin}" and r[3] == "same address" for r in history)
    assert client.get(f"/entities/{scene.twin}", follow_redirects=False).status_code == 301


def test_merge_this_one_into_another_goes_to_the_survivor(client: TestClient, scene, owner):
    sign_in(client, owner)
    response = post(client, scene.twin, "merge", {"other": scene.mine, "reason": "duplicate"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/entities/{scene.mine}"


def test_merge_problems_are_shown_next_to_the_fields(client: TestClient, scene: Scene, owner):
    sign_in(client, owner)
    response = post(client, scene.mine, "merge", {"other": "", "reason": ""})
    assert response.status_code == 422
    assert 'id="merge_other-error"' in response.text
    assert 'id="merge_reason-error"' in response.text
    assert '<details class="edit-form" open>' in response.text
    brand = post(client, scene.mine, "merge", {"other": scene.brand, "reason": "x"})
    assert brand.status_code == 422
    assert "cannot merge a facility into a brand" in brand.text.lower()
    hidden = post(client, scene.mine, "merge", {"other": scene.hidden, "reason": "x"})
    missing = post(client, scene.mine, "merge", {"other": MISSING, "reason": "x"})
    assert hidden.status_code == missing.status_code == 422
    assert hidden.text.replace(scene.hidden, MISSING).count("no entity") == missing.text.count(
        "no entity"
    )
    assert "Secret Dyeworks" not in hidden.text
    assert client.get(f"/entities/{scene.hidden}").status_code == 404


def test_split_moves_the_ticked_identifiers(client: TestClient, scene: Scene, owner):
    sign_in(client, owner)
    post(client, scene.mine, "identifiers", {"scheme": "os_id", "value": OS_ID})
    data = {
        "first": "Yongfa North",
        "second": "Yongfa South",
        "move": f"os_id|{OS_ID}",
        "reason": "two sites",
    }
    response = post(client, scene.mine, "split", data)
    assert response.status_code == 303
    page = client.get(f"/entities/{scene.mine}").text
    assert "This entity was split into" in page and f"Split {scene.mine} into" in page
    south = client.get("/entities", params={"q": "Yongfa South"})
    lcid = table_rows(south.text, "entities")[0][-1]
    assert table_rows(client.get(f"/entities/{lcid}").text, "identifiers") == [["os_id", OS_ID]]


def test_split_needs_two_names_and_a_reason(client: TestClient, scene: Scene, owner):
    sign_in(client, owner)
    response = post(client, scene.mine, "split", {"first": "A", "second": "", "reason": ""})
    assert response.status_code == 422
    assert 'id="split_second-error"' in response.text
    assert 'id="split_reason-error"' in response.text


def test_identifier_is_checked_and_shown(client: TestClient, scene: Scene, owner):
    sign_in(client, owner)
    response = post(
        client, scene.mine, "identifiers", {"scheme": "os_id", "value": "CN 2019303 BQ3FZ P"}
    )
    assert response.status_code == 303
    page = client.get(f"/entities/{scene.mine}").text
    assert table_rows(page, "identifiers") == [["os_id", OS_ID]]
    wrong = post(client, scene.mine, "identifiers", {"scheme": "os_id", "value": "CN2019303BQ3FZQ"})
    assert wrong.status_code == 422
    assert 'id="identifier_value-error"' in wrong.text
    assert "wrong check character" in wrong.text and "expected &#39;P&#39;" in wrong.text
    taken = post(client, scene.twin, "identifiers", {"scheme": "os_id", "value": OS_ID})
    assert taken.status_code == 409 and "already held by another entity" in taken.text.lower()
    bad_scheme = {"scheme": "other", "other_scheme": "Not A Scheme!", "value": "1"}
    scheme = post(client, scene.mine, "identifiers", bad_scheme)
    assert scheme.status_code == 422 and 'id="identifier_scheme-error"' in scheme.text


def test_relation_from_a_brand_with_tier(client: TestClient, scene: Scene, owner):
    sign_in(client, owner)
    data = {
        "kind": "sources_from:object",
        "other": scene.brand,
        "tier": "1",
        "reason": "brand disclosure 2025",
    }
    response = post(client, scene.mine, "relations", data)
    assert response.status_code == 303
    page = client.get(f"/entities/{scene.mine}").text
    rows = table_rows(page, "relations")
    assert rows[0][:4] == ["Harbor & Pine", "sources from", "Yongfa Garments", "1"]
    history = table_rows(page, "history")
    brand_history = table_rows(client.get(f"/entities/{scene.brand}").text, "history")
    assert any(r[1] == f"relation_added {scene.mine}" for r in brand_history)
    assert any(r[3] == "brand disclosure 2025" for r in brand_history)
    assert history  # the facility's own page shows the relation in its table


def test_relation_problems_are_shown_next_to_the_fields(client: TestClient, scene, owner):
    sign_in(client, owner)
    bad = post(client, scene.mine, "relations", {"kind": "", "other": "", "tier": "9"})
    assert bad.status_code == 422
    for field in ("relation_kind", "relation_other"):
        assert f'id="{field}-error"' in bad.text
    kinds = post(
        client, scene.mine, "relations", {"kind": "sources_from:object", "other": scene.twin}
    )
    assert kinds.status_code == 422 and "sources_from relates a brand" in kinds.text.lower()


@pytest.mark.parametrize("form", ["merge", "split", "identifiers", "relations"])
def test_refused_without_the_right_and_hidden_like_missing(
    client: TestClient, scene: Scene, owner, form: str
):
    token = csrf_from(client, "/login")
    anonymous = client.post(f"/entities/{scene.mine}/{form}", data={"csrf_token": token})
    assert anonymous.status_code == 401
    sign_in(client, owner)
    token = csrf_from(client, f"/entities/{scene.mine}")
    theirs = client.post(f"/entities/{scene.theirs}/{form}", data={"csrf_token": token})
    assert theirs.status_code == 403
    hidden = client.post(f"/entities/{scene.hidden}/{form}", data={"csrf_token": token})
    missing = client.post(f"/entities/{MISSING}/{form}", data={"csrf_token": token})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace(scene.hidden, MISSING) == missing.text
    no_token = client.post(f"/entities/{scene.mine}/{form}", data={})
    assert no_token.status_code == 403


def test_a_viewer_may_not_change_entities(client: TestClient, node: Node, scene: Scene):
    viewer = make_member(node, "viewer@union.example", "garment-union", "viewer")
    sign_in(client, viewer)
    assert "Change this entity" not in client.get(f"/entities/{scene.mine}").text
    token = csrf_from(client, f"/entities/{scene.mine}")
    refused = client.post(f"/entities/{scene.mine}/merge", data={"csrf_token": token})
    assert refused.status_code == 403
