"""Verification: who may set which level, and that each source tells its reader whether
they steward it (the web panel offers the steward buttons from that flag)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.evidence.conftest import Sources, map_all


def _wage_sources(client: TestClient, headers: dict[str, str]) -> list[dict[str, object]]:
    lcid = client.get("/api/v1/entities", params={"q": "Dhaka Knit"}).json()["items"][0]["lcid"]
    groups = client.get(f"/api/v1/entities/{lcid}/evidence", headers=headers).json()
    return next(g for g in groups if g["metric"] == "monthly-gross-wage")["sources"]


def test_each_source_says_whether_its_reader_stewards_it(
    sources: Sources, client: TestClient
) -> None:
    map_all(sources.node)
    union = {s["dataset"]: s["steward"] for s in _wage_sources(client, sources.union.headers)}
    assert union == {"compliance": True, "survey": True}
    brand = {s["dataset"]: s["steward"] for s in _wage_sources(client, sources.brand.headers)}
    assert brand == {"compliance": False, "payslips": True, "survey": False}
    assert not any(s["steward"] for s in _wage_sources(client, {}))


def test_only_stewards_steward_verify_and_anyone_signed_in_flags(
    sources: Sources, client: TestClient
) -> None:
    map_all(sources.node)
    answer = next(
        s for s in _wage_sources(client, sources.union.headers) if s["dataset"] == "compliance"
    )
    url = f"/api/v1/answers/{answer['answer_id']}/verification"
    status = {"status": "steward-verified"}
    assert client.post(url, json=status).status_code == 401
    assert client.post(url, json=status, headers=sources.outsider.headers).status_code == 403
    done = client.post(url, json=status, headers=sources.union.headers)
    assert done.status_code == 200 and done.json()["answer"]["verification"] == "steward-verified"
    flagged = client.post(url, json={"status": "flagged"}, headers=sources.outsider.headers)
    assert [h["status"] for h in flagged.json()["history"]] == ["steward-verified", "flagged"]
