"""The access matrix for evidence: at every level, for every kind of reader, an answer is
shown (in an entity's evidence, a metric's answers and the deviations) exactly when the
reader may read its dataset's rows, and the consensus is computed from those alone."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.api.test_access_matrix import (  # noqa: F401 (world is a fixture)
    LEVELS,
    READERS,
    World,
    may_read,
    slug_for,
    world,
)
from tests.evidence.conftest import link, map_column

pytestmark = pytest.mark.slow
MAPPING = {"name": "facility", "country": "country"}


@pytest.fixture
def mapped(node: Node, world: World) -> World:  # noqa: F811
    """Every dataset's version 1 linked, and its wage column read as one metric."""
    for level in LEVELS:
        for discoverable in (False, True):
            slug = slug_for(level, discoverable)
            link(node, slug, mapping=MAPPING)
            map_column(node, slug, column="salário", metric="workers-total", period="2025")
    return world


def _visible(level: str, who: str) -> set[str]:
    return {slug_for(level, d) for d in (False, True)} if may_read(level, who) else set()


def test_evidence_shows_exactly_the_answers_a_reader_may_read(
    client: TestClient, mapped: World
) -> None:
    admin = mapped.headers("admin")
    lcid = client.get("/api/v1/entities", params={"q": "Dhaka"}, headers=admin).json()
    lcid = lcid["items"][0]["lcid"]
    for who in READERS:
        headers = mapped.headers(who)
        expected = set().union(*(_visible(level, who) for level in LEVELS))
        evidence = client.get(f"/api/v1/entities/{lcid}/evidence", headers=headers)
        if not expected:
            assert evidence.status_code == 404, who
        else:
            assert evidence.status_code == 200, who
            groups = evidence.json()
            assert {s["dataset"] for g in groups for s in g["sources"]} == expected, who
            assert evidence.headers["cache-control"] == "private, no-store"
        answers = client.get(
            "/api/v1/metrics/workers-total/answers", params={"page_size": 500}, headers=headers
        ).json()
        assert {a["dataset"] for a in answers["items"]} == expected, who
        assert answers["total"] == 2 * len(expected), who  # Dhaka Knit and Sài Gòn each
        deviations = client.get("/api/v1/deviations", headers=headers).json()
        assert deviations == [], who  # every source agrees: 8000 and 5200 everywhere
