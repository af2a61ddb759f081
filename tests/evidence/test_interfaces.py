"""The contract forms of evidence: `laborcommons metrics|evidence ...` and the API routes,
asserting what they return and the state they leave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from fastapi.testclient import TestClient
from rdflib import SKOS, Graph, URIRef
from sqlalchemy import select
from typer.testing import CliRunner

from laborcommons.access.models import AuditRecord
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work
from laborcommons.core.settings import Settings
from laborcommons.evidence.models import EvidenceAnswer, NodeMetric, Verification
from tests.evidence.conftest import DECLARED, Sources, map_all

runner = CliRunner()


@pytest.fixture
def env(sources: Sources, settings: Settings) -> dict[str, str]:
    values = {"LABORCOMMONS_HOME": str(settings.home)}
    if settings.database_url:
        values["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    return values


def cli(env: dict[str, str], *args: str) -> Result:
    return runner.invoke(app, list(args), env=env)


def _lcid(client: TestClient) -> str:
    return str(
        client.get("/api/v1/entities", params={"q": "Dhaka Knit"}).json()["items"][0]["lcid"]
    )


def test_metrics_commands_list_show_create_and_export_skos(
    env: dict[str, str], sources: Sources, tmp_path: Path
) -> None:
    listed = cli(env, "metrics", "list", "--json")
    assert listed.exit_code == 0, listed.output
    keys = [m["key"] for m in json.loads(listed.output)]
    assert {"monthly-gross-wage", "living-wage-estimate", "supply-chain-tier"} <= set(keys)
    shown = cli(env, "metrics", "show", "supply-chain-tier")
    assert "Tier 4: raw material extraction" in shown.output
    created = cli(
        env,
        "metrics",
        "create",
        "piece-rate",
        "--title",
        "Piece rate",
        "--unit",
        "USD/month",
        "--type",
        "number",
    )
    assert created.exit_code == 0, created.output
    again = cli(
        env,
        "metrics",
        "create",
        "piece-rate",
        "--title",
        "Piece rate",
        "--unit",
        "USD/month",
        "--type",
        "number",
    )
    assert again.exit_code == 5 and "already exists" in again.output
    bad = cli(env, "metrics", "create", "x-y", "--title", "T", "--type", "colour")
    assert bad.exit_code == 2
    with unit_of_work(sources.node.sessions) as session:
        assert session.scalars(select(NodeMetric.key)).all() == ["piece-rate"]
    exported = cli(env, "metrics", "export", "--format", "ttl")
    graph = Graph().parse(data=exported.output, format="turtle")
    concept = URIRef("http://localhost:8000/api/v1/metrics/piece-rate")
    assert (concept, SKOS.prefLabel, None) in graph
    assert len(set(graph.subjects(SKOS.inScheme, None))) == len(keys) + 1


def test_evidence_commands_map_show_deviations_and_verify(
    env: dict[str, str], sources: Sources, client: TestClient
) -> None:
    mapped = cli(
        env,
        "evidence",
        "map",
        "compliance",
        "--column",
        "monthly_wage_usd",
        "--metric",
        "monthly-gross-wage",
        "--period",
        "2024",
        "--method",
        "self-declared",
    )
    assert mapped.exit_code == 0, mapped.output
    assert "3 answers added" in mapped.output
    survey = cli(
        env,
        "evidence",
        "map",
        "survey",
        "--column",
        "median_wage_idr_week",
        "--metric",
        "monthly-gross-wage",
        "--period-column",
        "year",
        "--unit",
        "IDR/week",
        "--rates",
        "fx-rates",
        "--method",
        "worker-survey",
    )
    assert survey.exit_code == 0 and "1 cells unreadable" in survey.output
    missing = cli(
        env,
        "evidence",
        "map",
        "compliance",
        "--column",
        "nope",
        "--metric",
        "monthly-gross-wage",
        "--period",
        "2024",
    )
    assert missing.exit_code == 7 and "no column 'nope'" in missing.output
    found = cli(env, "evidence", "deviations", "--json")
    assert found.exit_code == 0, found.output
    deviations = json.loads(found.output)
    assert [(d["name"], d["metric"], d["period"]) for d in deviations] == [
        ("Dhaka Knit", "monthly-gross-wage", "2024")
    ]
    first = deviations[0]
    assert {"entity", "name", "metric", "period", "consensus", "sources", "explanation"} <= set(
        first
    )
    assert {s["dataset"]: s["deviates"] for s in first["sources"]} == {
        "compliance": True,
        "survey": False,
    }
    assert {"dataset", "version", "value", "method", "verification", "deviates"} <= set(
        first["sources"][0]
    )
    lcid = first["entity"]
    shown = cli(env, "evidence", "show", lcid, "--json")
    groups = json.loads(shown.output)
    assert groups[0]["entity"] == lcid and len(groups[0]["sources"]) == 2
    declared = next(s for s in first["sources"] if s["dataset"] == "compliance")
    verified = cli(
        env,
        "evidence",
        "verify",
        str(declared["answer_id"]),
        "--status",
        "flagged",
        "--comment",
        "the survey disagrees",
    )
    assert verified.exit_code == 0 and "flagged" in verified.output
    with unit_of_work(sources.node.sessions) as session:
        answer = session.get_one(EvidenceAnswer, declared["answer_id"])
        assert answer.verification == "flagged"
        history = session.scalars(select(Verification)).all()
        assert [(v.previous, v.status, v.comment) for v in history] == [
            ("unverified", "flagged", "the survey disagrees")
        ]
    # Flagged, the self-declaration weighs nothing: the survey alone is the consensus.
    after = json.loads(cli(env, "evidence", "show", lcid, "--json").output)[0]
    assert after["consensus"] == pytest.approx(640000 * 52 / 12 / 16000)
    bad = cli(env, "evidence", "verify", str(declared["answer_id"]), "--status", "approved")
    assert bad.exit_code == 2


def test_api_metrics_in_json_turtle_and_json_ld(client: TestClient, sources: Sources) -> None:
    metrics = client.get("/api/v1/metrics").json()
    assert metrics[0]["key"] == "monthly-gross-wage" and metrics[0]["shipped"] is True
    turtle = client.get("/api/v1/metrics", params={"format": "ttl"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert len(set(graph.subjects(SKOS.inScheme, None))) == len(metrics)
    jsonld = client.get("/api/v1/metrics/share-women", params={"format": "jsonld"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    nodes = json.loads(jsonld.text)
    notations = [n[str(SKOS.notation)] for n in nodes if str(SKOS.notation) in n]
    assert notations == [[{"@value": "share-women"}]]
    assert client.get("/api/v1/metrics/no-such-metric").status_code == 404
    assert client.get("/api/v1/metrics", params={"format": "xml"}).status_code == 422
    created = client.post(
        "/api/v1/metrics",
        json={
            "key": "piece-rate",
            "title": "Piece rate",
            "value_type": "number",
            "unit": "USD/month",
        },
        headers=sources.union.headers,
    )
    assert created.status_code == 201
    typo = client.post(
        "/api/v1/metrics",
        json={"key": "other", "title": "T", "value_type": "number", "unti": "USD/month"},
        headers=sources.union.headers,
    )
    assert typo.status_code == 422
    anonymous = client.post(
        "/api/v1/metrics", json={"key": "x-y", "title": "T", "value_type": "number"}
    )
    assert anonymous.status_code == 401


def test_api_mapping_answers_filters_evidence_deviations_and_verification(
    client: TestClient, sources: Sources
) -> None:
    route = "/api/v1/datasets/compliance/versions/1/metric-mappings"
    body = {
        "column": "monthly_wage_usd",
        "metric": "monthly-gross-wage",
        "period": "2024",
        "method": "self-declared",
        "unit": "USD/month",
    }
    assert client.post(route, json=body).status_code == 401
    assert client.post(route, json=body, headers=sources.outsider.headers).status_code == 403
    made = client.post(route, json=body, headers=sources.union.headers)
    assert made.status_code == 200 and made.json()["added"] == 3
    assert (
        client.post(route, json={**body, "colum": "x"}, headers=sources.union.headers).status_code
        == 422
    )
    listed = client.get(route, headers=sources.union.headers).json()
    assert [m["answers"] for m in listed["mappings"]] == [3]
    assert "monthly_wage_usd" not in {s["column"] for s in listed["suggestions"]}
    hidden = client.post(
        "/api/v1/datasets/payslips/versions/1/metric-mappings",
        json=body,
        headers=sources.union.headers,
    )
    missing = client.post(
        "/api/v1/datasets/no-such/versions/1/metric-mappings",
        json=body,
        headers=sources.union.headers,
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["message"].replace("payslips", "X") == missing.json()["error"][
        "message"
    ].replace("no-such", "X")
    map_all(sources.node)
    answers = client.get(
        "/api/v1/metrics/monthly-gross-wage/answers", params={"country": "bd", "page_size": 2}
    ).json()
    assert answers["total"] == 5 and len(answers["items"]) == 2 and "page=2" in answers["next"]
    lcid = _lcid(client)
    one = client.get(
        "/api/v1/metrics/monthly-gross-wage/answers",
        params={"entity": lcid, "method": "self-declared"},
    ).json()
    assert [(a["value"], a["dataset"], a["row"]) for a in one["items"]] == [
        (250.0, "compliance", 1)
    ]
    assert (
        client.get(
            "/api/v1/metrics/monthly-gross-wage/answers", params={"verification": "approved"}
        ).status_code
        == 422
    )
    evidence = client.get(
        f"/api/v1/entities/{lcid}/evidence", params={"metric": "monthly-gross-wage"}
    )
    assert evidence.status_code == 200 and evidence.json()[0]["deviates"] is True
    csv_text = client.get("/api/v1/deviations", params={"format": "csv"}).text
    assert csv_text.splitlines()[0].startswith("entity,name,country,metric")
    assert len(csv_text.splitlines()) == 3  # the header and the two visible sources
    by_dataset = client.get("/api/v1/deviations", params={"dataset": "survey"}).json()
    assert len(by_dataset) == 1
    assert client.get("/api/v1/deviations", params={"dataset": "payslips"}).status_code == 404
    declared = one["items"][0]["id"]
    verification = f"/api/v1/answers/{declared}/verification"
    assert client.post(verification, json={"status": "flagged"}).status_code == 401
    refused = client.post(
        verification, json={"status": "steward-verified"}, headers=sources.outsider.headers
    )
    assert refused.status_code == 403
    flagged = client.post(
        verification,
        json={"status": "flagged", "comment": "too high"},
        headers=sources.outsider.headers,
    )
    assert flagged.status_code == 200 and flagged.json()["answer"]["verification"] == "flagged"
    steward = client.post(
        verification, json={"status": "steward-verified"}, headers=sources.union.headers
    )
    assert [h["status"] for h in steward.json()["history"]] == ["flagged", "steward-verified"]
    community = client.post(
        verification, json={"status": "community-verified"}, headers=sources.outsider.headers
    )
    assert community.status_code == 409
    with unit_of_work(sources.node.sessions) as session:
        payslip = session.scalars(
            select(EvidenceAnswer.id).where(EvidenceAnswer.method == "payslip")
        ).first()
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.action == "evidence.verify")
        ).all()
    assert len(actions) == 2
    hidden_answer = client.post(
        f"/api/v1/answers/{payslip}/verification",
        json={"status": "flagged"},
        headers=sources.union.headers,
    )
    missing_answer = client.post(
        "/api/v1/answers/999999/verification",
        json={"status": "flagged"},
        headers=sources.union.headers,
    )
    assert hidden_answer.status_code == missing_answer.status_code == 404
    assert hidden_answer.json()["error"]["message"].replace(
        str(payslip), "N"
    ) == missing_answer.json()["error"]["message"].replace("999999", "N")
    assert DECLARED not in client.get("/api/v1/deviations").text
