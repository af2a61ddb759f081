"""The answers API as a reader drives it: strict bodies, the answer's shape, 404/403/429."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.answers.deps import answer_noise
from laborcommons.answers.noise import SeededNoise
from laborcommons.core.node import Node
from tests.answers.survey import make_survey, worker_rows
from tests.factories import Member, make_member, make_org

QUESTIONS = "/api/v1/datasets/payslips/questions"
BODY = {
    "name": "mean-wage",
    "algorithm": "mean",
    "subject": "worker_id",
    "value": "wage",
    "breakdowns": [["facility"], ["facility", "gender"]],
    "bounds": [0, 1000],
    "epsilon": 1.0,
    "budget": 2.0,
}


@pytest.fixture
def owner(node: Node, client: TestClient, tmp_path: Path) -> Member:
    make_survey(node, tmp_path, worker_rows({"A": 14, "B": 12, "C": 3}))
    client.app.dependency_overrides[answer_noise] = lambda: SeededNoise(7)  # type: ignore[attr-defined]
    return make_member(node, "owner@union.example", "union", "owner")


def test_owner_enables_and_anyone_asks(client: TestClient, owner: Member) -> None:
    assert client.get(QUESTIONS).status_code == 404  # internal, nothing for anyone yet
    created = client.post(QUESTIONS, json=BODY, headers=owner.headers)
    assert created.status_code == 201, created.text
    assert created.json()["algorithm"] == "mean@1" and created.json()["min_subjects"] == 10
    assert [q["name"] for q in client.get(QUESTIONS).json()] == ["mean-wage"]
    assert client.get("/api/v1/datasets/payslips").status_code == 200  # metadata discoverable
    rows = client.get("/api/v1/datasets/payslips/versions/1/rows")
    assert rows.status_code == 403  # never the rows
    answer = client.post(f"{QUESTIONS}/mean-wage/answers", json={"by": ["facility"]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {
        "question",
        "algorithm",
        "version",
        "by",
        "cells",
        "noise",
        "budget",
        "cached",
    }
    assert (body["algorithm"], body["version"], body["by"], body["cached"]) == (
        "mean@1",
        1,
        ["facility"],
        False,
    )
    cells = {c["group"]["facility"]: c for c in body["cells"]}
    assert set(cells["A"]) == {"group", "value", "suppressed", "reason"}
    assert (cells["C"]["value"], cells["C"]["suppressed"], cells["C"]["reason"]) == (
        None,
        True,
        "threshold",
    )
    assert set(body["noise"]) == {"mechanism", "epsilon", "error_95"}
    assert body["budget"]["spent"] == 1.0 and body["budget"]["left"] == 1.0
    again = client.post(f"{QUESTIONS}/mean-wage/answers", json={"by": ["facility"]}).json()
    assert again["cached"] and again["cells"] == body["cells"]


def test_budget_spent_is_429_with_retry_after(client: TestClient, owner: Member) -> None:
    client.post(QUESTIONS, json={**BODY, "budget": 1.0}, headers=owner.headers)
    assert (
        client.post(f"{QUESTIONS}/mean-wage/answers", json={"by": ["facility"]}).status_code == 200
    )
    refused = client.post(f"{QUESTIONS}/mean-wage/answers", json={"by": ["facility", "gender"]})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 29 * 24 * 3600
    assert refused.json()["error"]["code"] == "too-many-requests"
    assert "renews_at" in refused.json()["error"]["details"]
    log = client.get(f"{QUESTIONS}/mean-wage/log", headers=owner.headers).json()
    assert [(e["outcome"], e["cached"]) for e in log["entries"]] == [
        ("refused", False),
        ("ok", False),
    ]
    assert log["budgets"] == [
        {
            "reader": "anonymous",
            "spent": 1.0,
            "left": 0.0,
            "answers": 1,
            "renews_at": log["budgets"][0]["renews_at"],
        },
    ]
    assert log["entries"][1]["cohort_sizes"] == [14, 12, 3]


def test_strict_bodies_and_refusals_name_the_field(client: TestClient, owner: Member) -> None:
    typo = client.post(QUESTIONS, json={**BODY, "epsilonn": 1}, headers=owner.headers)
    assert typo.status_code == 422 and "epsilonn" in typo.json()["error"]["message"]
    low = client.post(QUESTIONS, json={**BODY, "min_subjects": 4}, headers=owner.headers)
    assert low.status_code == 422
    nested = client.post(
        QUESTIONS, json={**BODY, "breakdowns": [["facility"], ["gender"]]}, headers=owner.headers
    )
    assert nested.status_code == 422 and nested.json()["error"]["details"] == {
        "field": "breakdowns"
    }
    client.post(QUESTIONS, json=BODY, headers=owner.headers)
    duplicate = client.post(QUESTIONS, json=BODY, headers=owner.headers)
    assert duplicate.status_code == 409
    bad_by = client.post(f"{QUESTIONS}/mean-wage/answers", json={"by": ["gender"]})
    assert bad_by.status_code == 422
    extra = client.post(f"{QUESTIONS}/mean-wage/answers", json={"by": ["facility"], "x": 1})
    assert extra.status_code == 422


def test_access_rules(node: Node, client: TestClient, owner: Member) -> None:
    make_org(node, "rival")
    rival = make_member(node, "owner@rival.example", "rival", "owner")
    viewer = make_member(node, "viewer@union.example", "union", "viewer")
    missing = client.post("/api/v1/datasets/nope/questions/mean-wage/answers", json={})
    hidden = client.post(f"{QUESTIONS}/mean-wage/answers", json={}, headers=rival.headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace("payslips", "nope") == missing.text
    assert client.post(QUESTIONS, json=BODY, headers=viewer.headers).status_code == 403
    assert client.post(QUESTIONS, json=BODY).status_code == 404  # anonymous: hidden
    client.post(QUESTIONS, json={**BODY, "audience": "org:union"}, headers=owner.headers)
    assert client.get(QUESTIONS, headers=rival.headers).status_code == 404
    answer = client.post(f"{QUESTIONS}/mean-wage/answers", json={}, headers=viewer.headers)
    assert answer.status_code == 200 and answer.json()["by"] == ["facility"]
    assert client.get(f"{QUESTIONS}/mean-wage/log", headers=viewer.headers).status_code == 403


def test_owner_publishes_the_answer_and_others_cannot(
    client: TestClient, owner: Member, node: Node
) -> None:
    assert client.post(QUESTIONS, json=BODY, headers=owner.headers).status_code == 201
    publish = f"{QUESTIONS}/mean-wage/publish"
    body = {"by": ["facility"], "slug": "wage-indications", "license": "CC-BY-4.0"}
    assert client.post(publish, json=body).status_code == 401  # anyone may ask, not publish
    typo = client.post(publish, json={**body, "licence": "CC0-1.0"}, headers=owner.headers)
    assert typo.status_code == 422
    hidden = client.post(publish.replace("mean-wage", "nope"), json=body, headers=owner.headers)
    assert hidden.status_code == 404
    made = client.post(publish, json=body, headers=owner.headers)
    assert made.status_code == 201, made.text
    result = made.json()
    assert (result["dataset"], result["version"], result["created"]) == (
        "wage-indications",
        1,
        True,
    )
    assert (result["rows"], result["suppressed"]) == (3, 2)  # C, and B protecting C
    assert result["lineage"]["algorithm"] == "mean@1"
    assert result["lineage"]["parameters"]["bounds"] == [0.0, 1000.0]
    rows = client.get("/api/v1/datasets/wage-indications/versions/1/rows").json()
    published = {r["facility"]: r for r in rows["rows"]}
    assert published["C"]["value"] is None and published["C"]["suppressed"] is True
    again = client.post(publish, json=body, headers=owner.headers).json()
    assert (again["version"], again["created"]) == (1, False)  # cached answer: same rows
