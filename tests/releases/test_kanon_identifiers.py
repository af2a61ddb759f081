"""A k-anonymous release never keeps a direct identifier: refused (422, naming the columns)
unless the request drops or pseudonymizes it, on the API and the CLI."""

from __future__ import annotations

import random

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from laborcommons.cli.main import app
from laborcommons.core.node import Node
from laborcommons.core.settings import Settings
from tests.factories import make_dataset
from tests.releases.conftest import Org, upload
from tests.releases.test_kanon_api import DISTRICTS, all_rows, kanon

API = "/api/v1/datasets"
QIS = ["age", "sex", "district"]


def payroll_csv(rows: int = 120, seed: int = 11) -> str:
    """A wage survey keyed by each worker's employee number (no name)."""
    rng = random.Random(seed)
    lines = ["worker_id,age,sex,district,wage_band"]
    for i in range(rows):
        lines.append(
            ",".join(
                [
                    f"EMP-{10000 + i}",
                    str(rng.randint(18, 58)),
                    rng.choice(["F", "F", "M"]),
                    rng.choice(DISTRICTS),
                    rng.choice(["<10k", "10-12k", "12-14k", ">14k"]),
                ]
            )
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def payroll(node: Node, client: TestClient, org: Org) -> str:
    make_dataset(node, "payroll", "garment-union", coverage=["BD"])
    assert upload(client, org.owner, "payroll", payroll_csv()).status_code == 201
    return "payroll"


def _versions(client: TestClient, org: Org, slug: str) -> list[int]:
    listed = client.get(f"{API}/{slug}/versions", headers=org.owner.headers).json()
    return [v["version"] for v in listed]


def _findings(client: TestClient, org: Org, slug: str, number: int) -> dict:
    response = client.get(f"{API}/{slug}/versions/{number}/findings", headers=org.owner.headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_employee_number_column_is_found_at_ingest(client: TestClient, org: Org, payroll: str):
    findings = _findings(client, org, payroll, 1)["findings"]
    assert [(f["column"], f["kind"], f["count"]) for f in findings] == [
        ("worker_id", "identifier", 120)
    ]
    assert all(e.startswith("*") and "EMP-1" not in e for e in findings[0]["examples"])


def test_kanon_refuses_while_a_direct_identifier_stays(client: TestClient, org: Org, payroll: str):
    response = kanon(
        client, org.owner.headers, payroll, 1, k=5, max_suppression=0.1, quasi_identifiers=QIS
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["details"]["columns"] == ["worker_id"]
    assert "worker_id" in error["message"] and "pseudonymize" in error["message"]
    assert _versions(client, org, payroll) == [1]


def test_kanon_drops_the_identifier_as_part_of_the_release(
    client: TestClient, org: Org, payroll: str
):
    response = kanon(
        client,
        org.owner.headers,
        payroll,
        1,
        k=5,
        max_suppression=0.1,
        quasi_identifiers=QIS,
        drop=["worker_id"],
    )
    assert response.status_code == 201, response.text
    assert response.json()["report"]["identifiers"]["dropped"] == ["worker_id"]
    rows = all_rows(client, org.owner.headers, payroll, 2)
    assert "worker_id" not in rows.columns
    derived = _findings(client, org, payroll, 2)
    assert derived["findings"] == [] and derived["withheld_columns"] == []


def test_kanon_pseudonymizes_the_identifier_as_part_of_the_release(
    client: TestClient, org: Org, payroll: str
):
    response = kanon(
        client,
        org.owner.headers,
        payroll,
        1,
        k=5,
        max_suppression=0.1,
        quasi_identifiers=QIS,
        pseudonymize=["worker_id"],
        domain="payroll-2025",
    )
    assert response.status_code == 201, response.text
    identifiers = response.json()["report"]["identifiers"]
    assert identifiers["pseudonymized"] == ["worker_id"] and identifiers["domain"] == "payroll-2025"
    rows = all_rows(client, org.owner.headers, payroll, 2)
    keys = [k for k in rows["worker_id"] if k]
    assert keys and all(len(k) == 20 and not k.startswith("EMP") for k in keys)
    assert _findings(client, org, payroll, 2)["withheld_columns"] == []


def test_an_accepted_identifier_may_stay(client: TestClient, org: Org, payroll: str):
    finding = _findings(client, org, payroll, 1)["findings"][0]
    accepted = client.post(
        f"{API}/{payroll}/versions/1/findings/{finding['id']}/resolution",
        json={"action": "accept", "justification": "numbers are the survey's own, not payroll"},
        headers=org.owner.headers,
    )
    assert accepted.status_code == 200, accepted.text
    response = kanon(
        client, org.owner.headers, payroll, 1, k=5, max_suppression=0.1, quasi_identifiers=QIS
    )
    assert response.status_code == 201, response.text


def test_names_found_at_ingest_refuse_the_release_too(client: TestClient, org: Org, node: Node):
    make_dataset(node, "named-payroll", "garment-union", coverage=["BD"])
    lines = payroll_csv().splitlines()
    given = ["Rahima Begum", "Nasrin Akter", "Shirin Sultana", "Fatema Khatun", "Ayesha Rahman"]
    text = (
        "\n".join(
            [f"worker_name,{lines[0]}"]
            + [f"{given[i % 5]},{line}" for i, line in enumerate(lines[1:])]
        )
        + "\n"
    )
    assert upload(client, org.owner, "named-payroll", text).status_code == 201
    response = kanon(
        client,
        org.owner.headers,
        "named-payroll",
        1,
        k=5,
        max_suppression=0.1,
        quasi_identifiers=QIS,
        pseudonymize=["worker_id"],
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["columns"] == ["worker_name"]
    both_roles = kanon(
        client, org.owner.headers, "named-payroll", 1, k=5, quasi_identifiers=QIS, drop=["age"]
    )
    assert both_roles.status_code == 422 and "two roles" in both_roles.text
    assert _versions(client, org, "named-payroll") == [1]


def test_cli_kanon_refuses_then_drops(
    settings: Settings, client: TestClient, org: Org, payroll: str
):
    env = {"LABORCOMMONS_HOME": str(settings.home)}
    if settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    args = [
        "releases",
        "kanon",
        payroll,
        "--quasi-identifiers",
        ",".join(QIS),
        "--k",
        "5",
        "--max-suppression",
        "0.1",
    ]
    refused = CliRunner().invoke(app, args, env=env)
    assert refused.exit_code == 7 and "worker_id" in refused.output
    assert _versions(client, org, payroll) == [1]
    released = CliRunner().invoke(app, [*args, "--drop", "worker_id"], env=env)
    assert released.exit_code == 0, released.output
    assert _versions(client, org, payroll) == [1, 2]
    assert "worker_id" not in all_rows(client, org.owner.headers, payroll, 2).columns


def test_pseudonymizing_an_identifier_finding_settles_it(
    client: TestClient, org: Org, payroll: str
):
    finding = _findings(client, org, payroll, 1)["findings"][0]
    resolved = client.post(
        f"{API}/{payroll}/versions/1/findings/{finding['id']}/resolution",
        json={"action": "pseudonymize"},
        headers=org.owner.headers,
    )
    assert resolved.status_code == 200, resolved.text
    derived = _findings(client, org, payroll, 2)
    assert derived["findings"] == [] and derived["withheld_columns"] == []  # pseudonyms: no keys
    response = kanon(
        client, org.owner.headers, payroll, 2, k=5, max_suppression=0.1, quasi_identifiers=QIS
    )
    assert response.status_code == 201, response.text
