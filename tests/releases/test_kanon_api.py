"""k-anonymity on a node: a derived version, its report and lineage; checked by pycanon."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from pycanon import anonymity

from laborcommons.core.node import Node
from tests.conftest import shared_data
from tests.factories import make_dataset
from tests.releases.conftest import Org, upload

API = "/api/v1/datasets"
DISTRICTS = ["Dhaka", "Gazipur", "Narayanganj", "Chattogram", "Savar", "Ashulia"]
ROLES = ["Sewing operator", "Helper", "Quality inspector", "Cutting master", "Supervisor"]


def survey_csv(rows: int = 120, seed: int = 7) -> str:
    """A wage survey: age, sex, district and job (quasi-identifiers), wage band (sensitive)."""
    rng = random.Random(seed)
    lines = ["age,sex,district,role,wage_band,joined"]
    for _ in range(rows):
        lines.append(
            ",".join(
                [
                    str(rng.randint(18, 58)),
                    rng.choice(["F", "F", "F", "M"]),
                    rng.choice(DISTRICTS),
                    rng.choice(ROLES),
                    rng.choice(["<10k", "10-12k", "12-14k", ">14k"]),
                    f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                ]
            )
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def survey(node: Node, client: TestClient, org: Org) -> str:
    make_dataset(node, "wage-survey", "garment-union", coverage=["BD"])
    assert upload(client, org.owner, "wage-survey", survey_csv()).status_code == 201
    return "wage-survey"


def kanon(client: TestClient, headers: dict[str, str], slug: str, number: int, **body: object):
    return client.post(f"{API}/{slug}/versions/{number}/kanon", json=body, headers=headers)


def all_rows(client: TestClient, headers: dict[str, str], slug: str, number: int) -> pd.DataFrame:
    response = client.get(f"{API}/{slug}/versions/{number}/rows?_size=1000", headers=headers)
    assert response.status_code == 200, response.text
    return pd.DataFrame(response.json()["rows"])


def test_kanon_derives_a_k_anonymous_version_with_report_and_lineage(
    client: TestClient, org: Org, survey: str
):
    response = kanon(
        client,
        org.owner.headers,
        survey,
        1,
        k=5,
        max_suppression=0.05,
        quasi_identifiers=["age", "sex", "district"],
        metric="loss",
    )
    assert response.status_code == 201, response.text
    body = response.json()
    report, version = body["report"], body["version"]
    assert body["dataset"] == survey and version["version"] == 2
    assert set(report["transformation"]) == {"age", "sex", "district"}
    assert report["k_achieved"] >= 5 and report["records_in"] == 120
    assert report["records_out"] == version["row_count"] == 120 - report["suppressed"]
    assert report["suppressed"] <= 0.05 * 120
    assert report["risk_after"]["highest_risk"] <= 1 / 5
    assert (
        report["risk_after"]["average_prosecutor_risk"]
        < report["risk_before"]["average_prosecutor_risk"]
    )
    rows = all_rows(client, org.owner.headers, survey, 2)
    assert anonymity.k_anonymity(rows, ["age", "sex", "district"]) >= 5
    original = all_rows(client, org.owner.headers, survey, 1)
    assert sorted(rows["wage_band"]) != sorted(original["wage_band"]) or report["suppressed"] == 0
    lineage = client.get(f"{API}/{survey}/versions/2/lineage", headers=org.owner.headers).json()
    step = lineage["steps"][0]["derivation"]
    assert (
        step["action"] == "k-anonymity"
        and step["report"]["transformation"] == (report["transformation"])
    )
    assert lineage["steps"][1]["version"] == 1


def test_l_diversity_with_an_arx_hierarchy(client: TestClient, org: Org, survey: str):
    roles = "\n".join(
        f"{role};{'Management' if role in {'Supervisor', 'Cutting master'} else 'Floor'};*"
        for role in ROLES
    )
    response = kanon(
        client,
        org.owner.headers,
        survey,
        1,
        k=3,
        sensitive="wage_band",
        l=2,
        quasi_identifiers=["role", "sex"],
        hierarchies={"role": {"kind": "arx", "csv": roles}},
    )
    assert response.status_code == 201, response.text
    rows = all_rows(client, org.owner.headers, survey, 2)
    assert set(rows["role"]) <= {*ROLES, "Floor", "Management", "*"}
    assert anonymity.k_anonymity(rows, ["role", "sex"]) >= 3
    assert anonymity.l_diversity(rows, ["role", "sex"], ["wage_band"]) >= 2
    assert response.json()["report"]["hierarchies"]["role"] == {"kind": "arx"}


def test_kanon_into_another_dataset_of_the_organization_only(
    client: TestClient, org: Org, survey: str, node: Node
):
    make_dataset(node, "wage-survey-safe", "garment-union", coverage=["BD"])
    make_dataset(node, "theirs", "other-union")
    body = {"k": 4, "quasi_identifiers": ["age", "sex"], "max_suppression": 0.1}
    moved = kanon(client, org.owner.headers, survey, 1, target="wage-survey-safe", **body)
    assert moved.status_code == 201, moved.text
    assert moved.json()["dataset"] == "wage-survey-safe"
    lineage = client.get(f"{API}/wage-survey-safe/versions/1/lineage", headers=org.owner.headers)
    assert [(s["dataset"], s["version"]) for s in lineage.json()["steps"]] == [
        ("wage-survey-safe", 1),
        (survey, 1),
    ]
    hidden = kanon(client, org.owner.headers, survey, 1, target="theirs", **body)
    assert hidden.status_code == 404  # another organization's internal dataset
    versions = client.get(f"{API}/{survey}/versions", headers=org.owner.headers).json()
    assert len(versions) == 1


def test_bad_requests_name_the_problem(client: TestClient, org: Org, survey: str):
    missing = kanon(client, org.owner.headers, survey, 1, k=5, quasi_identifiers=["salary"])
    assert missing.status_code == 422 and "salary" in missing.json()["error"]["message"]
    arx = {"kind": "arx", "csv": "Helper;Floor;*", "file": "survey_hierarchy_role.csv"}
    bad_hierarchy = kanon(
        client,
        org.owner.headers,
        survey,
        1,
        k=2,
        quasi_identifiers=["role"],
        hierarchies={"role": arx},
    )
    assert bad_hierarchy.status_code == 422
    message = bad_hierarchy.json()["error"]["message"]
    assert "'Cutting master'" in message and "survey_hierarchy_role.csv" in message
    impossible = kanon(client, org.owner.headers, survey, 1, k=500, quasi_identifiers=["age"])
    assert impossible.status_code == 422
    no_l = kanon(client, org.owner.headers, survey, 1, k=2, quasi_identifiers=["age"], l=2)
    assert no_l.status_code == 422
    versions = client.get(f"{API}/{survey}/versions", headers=org.owner.headers).json()
    assert len(versions) == 1


@pytest.mark.shared_data
@pytest.mark.slow
def test_adult_optimum_on_a_node_matches_the_arx_reference(
    client: TestClient, org: Org, node: Node, tmp_path: Path
):
    data = shared_data("adult/adult.csv")
    make_dataset(node, "adult", "garment-union")
    files = {"file": ("adult.csv", data.read_bytes(), "text/csv")}
    response = client.post(f"{API}/adult/versions", headers=org.owner.headers, files=files)
    assert response.status_code == 201, response.text
    columns = data.read_text().splitlines()[0].split(";")
    hierarchies = {
        c: {"kind": "arx", "csv": shared_data(f"adult/adult_hierarchy_{c}.csv").read_text()}
        for c in columns
    }
    result = kanon(
        client,
        org.owner.headers,
        "adult",
        1,
        k=5,
        metric="entropy",
        quasi_identifiers=columns,
        hierarchies=hierarchies,
    )
    assert result.status_code == 201, result.text
    report = result.json()["report"]
    assert [report["transformation"][c] for c in columns] == [1, 2, 1, 1, 3, 2, 2, 1, 1]
    assert report["metric_value"] == pytest.approx(407289.5388925293)
    assert report["risk_before"]["sample_uniqueness"] == pytest.approx(0.5142895033485844)
