"""One reconciliation batch is bounded: its size, the candidates and work of each query, and
the time it may spend (queries past the budget answer with no candidates)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from laborcommons.access import NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.entities import reconcile
from laborcommons.entities.schemas import EntityCreate
from laborcommons.entities.service.records import create_entity


def _namesakes(node: Node, count: int) -> None:
    with unit_of_work(node.sessions) as session:
        for number in range(count):
            fields = {"kind": "facility", "name": f"Tongi Knit Works {number}", "country": "BD"}
            create_entity(
                EntityCreate.model_validate(fields),
                actor=NODE_ADMIN,
                session=session,
                seed=f"limit-{number}",
            )


def _post(client: TestClient, queries: dict[str, object]) -> dict[str, object]:
    response = client.post("/api/v1/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_batch_over_the_limit_is_refused_naming_it(client: TestClient) -> None:
    queries = {f"q{n}": {"query": "tongi knit"} for n in range(reconcile.MAX_QUERIES + 1)}
    response = client.post("/api/v1/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert f"at most {reconcile.MAX_QUERIES} per batch" in message
    assert reconcile.MAX_QUERIES <= 50


def test_a_query_returns_at_most_max_limit_candidates(client: TestClient, node: Node) -> None:
    _namesakes(node, reconcile.MAX_LIMIT + 3)
    body = _post(client, {"q0": {"query": "Tongi Knit Works", "limit": 1000}})
    assert len(body["q0"]["result"]) == reconcile.MAX_LIMIT  # type: ignore[index]


def test_a_query_scores_at_most_the_pool(
    client: TestClient, node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    _namesakes(node, 6)
    monkeypatch.setattr(reconcile, "POOL_SIZE", 4)
    body = _post(client, {"q0": {"query": "Tongi Knit Works", "limit": 20}})
    assert len(body["q0"]["result"]) == 4  # type: ignore[index]


def test_queries_past_the_time_budget_answer_with_no_candidates(
    client: TestClient, node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    _namesakes(node, 2)
    monkeypatch.setattr(reconcile, "BATCH_SECONDS", 0.0)
    body = _post(client, {f"q{n}": {"query": "Tongi Knit Works"} for n in range(3)})
    assert len(body["q0"]["result"]) == 2  # type: ignore[index]
    assert body["q1"] == {"result": []} and body["q2"] == {"result": []}
    late = _post(client, {"a": {"query": "x"}, "b": {"query": "x", "type": "no"}})
    assert late["b"]["error"]["message"].startswith("queries.b.type")  # type: ignore[index]
