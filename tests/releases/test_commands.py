"""`laborcommons releases ...` through Typer's runner; assertions on the resulting state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from laborcommons.cli.main import app
from laborcommons.core.node import Node
from laborcommons.core.settings import Settings
from tests.factories import make_dataset
from tests.releases.conftest import Org, upload
from tests.releases.test_kanon_api import survey_csv

runner = CliRunner()
API = "/api/v1/datasets"


@pytest.fixture
def env(settings: Settings) -> dict[str, str]:
    values = {"LABORCOMMONS_HOME": str(settings.home)}
    if settings.database_url:
        values["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    return values


def run(env: dict[str, str], *args: str):
    return runner.invoke(app, list(args), env=env)


def findings_json(env: dict[str, str], slug: str, *extra: str) -> dict:
    result = run(env, "releases", "findings", slug, "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_findings_resolve_and_state(
    env: dict[str, str], client: TestClient, org: Org, grievances: str
):
    listed = run(env, "releases", "findings", grievances)
    assert listed.exit_code == 0, listed.output
    assert "email" in listed.output and "Withheld from the public by" in listed.output
    by_column = {f["column"]: f["id"] for f in findings_json(env, grievances)["findings"]}
    dropped = run(
        env,
        "releases",
        "resolve",
        grievances,
        str(by_column["phone"]),
        "--action",
        "drop",
        "--version",
        "1",
    )
    assert dropped.exit_code == 0, dropped.output
    assert "New version 2" in dropped.output
    latest = findings_json(env, grievances)
    assert latest["version"] == 2 and "phone" not in latest["withheld_columns"]
    refused = run(
        env,
        "releases",
        "resolve",
        grievances,
        str(by_column["email"]),
        "--action",
        "accept",
        "--version",
        "1",
        "--justification",
        "fine",
    )
    assert refused.exit_code == 2 and "justification" in refused.output
    again = run(
        env,
        "releases",
        "resolve",
        grievances,
        str(by_column["phone"]),
        "--action",
        "drop",
        "--version",
        "1",
    )
    assert again.exit_code == 5  # already resolved: a conflict
    versions = client.get(f"{API}/{grievances}/versions", headers=org.owner.headers).json()
    assert [v["version"] for v in versions] == [1, 2]


def test_kanon_with_an_arx_directory_writes_the_report(
    env: dict[str, str], client: TestClient, org: Org, node: Node, tmp_path: Path
):
    make_dataset(node, "wage-survey", "garment-union", coverage=["BD"])
    assert upload(client, org.owner, "wage-survey", survey_csv()).status_code == 201
    hierarchies = tmp_path / "hierarchies"
    hierarchies.mkdir()
    (hierarchies / "survey_hierarchy_sex.csv").write_text("F;*\nM;*\n")
    report = tmp_path / "report.json"
    result = run(
        env,
        "releases",
        "kanon",
        "wage-survey",
        "--quasi-identifiers",
        "age,sex",
        "--k",
        "5",
        "--max-suppression",
        "0.05",
        "--metric",
        "discernibility",
        "--hierarchies",
        str(hierarchies),
        "--report",
        str(report),
    )
    assert result.exit_code == 0, result.output
    written = json.loads(report.read_text())
    assert set(written["transformation"]) == {"age", "sex"} and written["k_achieved"] >= 5
    assert written["hierarchies"]["sex"] == {"kind": "arx", "file": "survey_hierarchy_sex.csv"}
    lineage = client.get(f"{API}/wage-survey/versions/2/lineage", headers=org.owner.headers)
    assert (
        lineage.json()["steps"][0]["derivation"]["report"]["transformation"]
        == (written["transformation"])
    )
    missing = run(
        env, "releases", "kanon", "wage-survey", "--quasi-identifiers", "salary", "--k", "5"
    )
    assert missing.exit_code == 7 and "salary" in missing.output
