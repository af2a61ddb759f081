"""The demo's safe answers: the internal wage survey answers anyone through its approved
questions (never its rows), and the open "Wage indications per facility" built from the
mean-wage answer sits on facility entities that the brands' supplier lists also name."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.demo.answers import FACILITY, PUBLISHED_SLUG, QUESTIONS, SURVEY
from laborcommons.demo.datasets import HARBOR, LUMEN, VELTA
from laborcommons.demo.service import seed_demo
from laborcommons.entities.models import RowLink

pytestmark = pytest.mark.slow
FACILITIES = 300


@pytest.fixture
def demo(node: Node) -> list[str]:
    with unit_of_work(node.sessions) as session:
        return seed_demo(node=node, session=session, facilities=FACILITIES)


def _entities(node: Node, slugs: list[str]) -> set[int]:
    with unit_of_work(node.sessions) as session:
        versions = select(DatasetVersion.id).join(Dataset).where(Dataset.slug.in_(slugs))
        query = select(RowLink.entity_id).where(
            RowLink.entity_id.is_not(None), RowLink.version_id.in_(versions)
        )
        return set(session.scalars(query))


def test_anyone_asks_the_survey_and_reads_the_published_indications(
    client: TestClient, node: Node, demo: list[str]
) -> None:
    assert any(line.startswith("Safe answers:") for line in demo)
    questions = client.get(f"/api/v1/datasets/{SURVEY}/questions")
    assert questions.status_code == 200
    assert {q["name"] for q in questions.json()} == {q["name"] for q in QUESTIONS}
    assert client.get(f"/api/v1/datasets/{SURVEY}/versions/1/rows").status_code == 403

    url = f"/api/v1/datasets/{SURVEY}/questions/median-wage/answers"
    answer = client.post(url, json={"by": list(FACILITY)})
    assert answer.status_code == 200, answer.text
    cells = answer.json()["cells"]
    reasons = {c["reason"] for c in cells if c["suppressed"]}
    assert "threshold" in reasons  # the small site visits
    assert sum(not c["suppressed"] for c in cells) > len(cells) / 2
    share = client.post(
        f"/api/v1/datasets/{SURVEY}/questions/below-living-wage/answers", json={"by": ["country"]}
    )
    assert share.status_code == 200, share.text
    published_shares = [c["value"] for c in share.json()["cells"] if not c["suppressed"]]
    assert published_shares and all(0 <= v <= 1 for v in published_shares)

    meta = client.get(f"/api/v1/datasets/{PUBLISHED_SLUG}").json()
    assert (meta["access"], meta["license"]["id"]) == ("open", "CC-BY-4.0")
    rows = client.get(f"/api/v1/datasets/{PUBLISHED_SLUG}/versions/1/rows").json()["rows"]
    assert rows and {"factory_name", "country", "value", "suppressed", "reason"} <= set(rows[0])
    beside = _entities(node, [PUBLISHED_SLUG]) & _entities(
        node, [HARBOR.slug, VELTA.slug, LUMEN.slug]
    )
    assert beside  # the aggregate sits next to supply relations on entity pages


def test_seeding_again_publishes_no_new_version(node: Node, demo: list[str]) -> None:
    with unit_of_work(node.sessions) as session:
        seed_demo(node=node, session=session, facilities=FACILITIES)
        versions = session.scalar(
            select(func.count())
            .select_from(DatasetVersion)
            .join(Dataset)
            .where(Dataset.slug == PUBLISHED_SLUG)
        )
    assert versions == 1
