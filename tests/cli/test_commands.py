"""The CLI contract driven through Typer's runner; assertions on output and resulting state."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from laborcommons.cli.main import app
from laborcommons.core.settings import Settings

runner = CliRunner()


@pytest.fixture
def env(settings: Settings) -> dict[str, str]:
    values = {"LABORCOMMONS_HOME": str(settings.home)}
    if settings.database_url:
        values["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    return values


def run(env: dict[str, str], *args: str, input: str | None = None):
    return runner.invoke(app, list(args), env=env, input=input)


def test_the_documented_workflow(env: dict[str, str], client: TestClient, tmp_path: Path) -> None:
    assert run(env, "init").exit_code == 0
    assert run(env, "init").exit_code == 0  # idempotent
    result = run(
        env,
        "orgs",
        "create",
        "garment-union",
        "--name",
        "Garment Union",
        "--archetype",
        "advocate",
        "--countries",
        "BD,KH",
    )
    assert result.exit_code == 0, result.output
    result = run(
        env, "users", "create", "ana@union.example", "--org", "garment-union", "--role", "owner"
    )
    assert result.exit_code == 0, result.output
    result = run(env, "tokens", "create", "ana@union.example")
    token = result.output.strip().splitlines()[-1]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["email"] == "ana@union.example"
    result = run(
        env,
        "datasets",
        "create",
        "wages-2025",
        "--org",
        "garment-union",
        "--title",
        "Wages 2025",
        "--data-type",
        "working-conditions",
    )
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/datasets/wages-2025").status_code == 404  # internal by default
    data = tmp_path / "wages.csv"
    data.write_text("name;wage\nAna;120,5\nBo;99\n", encoding="cp1252")
    result = run(env, "datasets", "ingest", "wages-2025", str(data), "--message", "wave 1")
    assert result.exit_code == 0, result.output
    assert "Version 1: 2 rows" in result.output and "name (string)" in result.output
    again = run(env, "datasets", "ingest", "wages-2025", str(data))
    assert "already version 1" in again.output
    out = tmp_path / "export.json"
    result = run(env, "datasets", "export", "wages-2025", "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert '"Ana"' in out.read_text()
    listed = run(env, "orgs", "list", "--archetype", "advocate")
    assert "garment-union" in listed.output
    shown = run(env, "datasets", "show", "wages-2025")
    assert '"wave 1"' in shown.output
    revoke = run(env, "tokens", "revoke", token)
    assert revoke.exit_code == 0
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_bad_input_exits_non_zero_with_the_report(env: dict[str, str], tmp_path: Path) -> None:
    assert run(env, "orgs", "create", "un", "--name", "U", "--archetype", "advocate").exit_code == 0
    run(env, "datasets", "create", "d1", "--org", "un", "--title", "D", "--data-type", "other")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,a\n1,2\n")
    result = run(env, "datasets", "ingest", "d1", str(bad))
    assert result.exit_code == 7
    assert "duplicate-header" in result.output and "Traceback" not in result.output
    assert (
        run(
            env,
            "datasets",
            "create",
            "d2",
            "--org",
            "un",
            "--title",
            "D",
            "--data-type",
            "other",
            "--access",
            "public",
        ).exit_code
        == 7
    )
    unknown = run(env, "orgs", "create", "x", "--name", "X", "--archetype", "wizard")
    assert unknown.exit_code != 0 and "Traceback" not in unknown.output
    missing = run(env, "datasets", "show", "nope")
    assert missing.exit_code == 4


def test_license_chooser_flags_and_prompts(env: dict[str, str]) -> None:
    result = run(
        env,
        "licenses",
        "choose",
        "--no-waive-all-rights",
        "--no-allow-commercial",
        "--allow-modifications",
        "--require-share-alike",
    )
    assert "CC-BY-NC-SA-4.0" in result.output
    prompted = run(env, "licenses", "choose", input="n\ny\nn\n")
    assert "CC-BY-ND-4.0" in prompted.output
    assert "ODbL-1.0" in run(env, "licenses", "list").output


def test_commands_need_a_node(tmp_path: Path) -> None:
    result = runner.invoke(app, ["orgs", "list"], env={"LABORCOMMONS_HOME": str(tmp_path / "none")})
    assert result.exit_code == 4 and "laborcommons init" in result.output


def test_flags_pick_the_node(tmp_path: Path) -> None:
    home = tmp_path / "flagged"
    result = runner.invoke(app, ["--home", str(home), "init"], env={"LABORCOMMONS_HOME": "x"})
    assert result.exit_code == 0, result.output
    assert (home / "laborcommons.db").exists() and (home / "secret_key").exists()


def test_output_keeps_brackets_in_user_data(env: dict[str, str], tmp_path: Path) -> None:
    assert run(env, "orgs", "create", "un", "--name", "U", "--archetype", "advocate").exit_code == 0
    run(env, "datasets", "create", "d1", "--org", "un", "--title", "D", "--data-type", "other")
    data = tmp_path / "w.csv"
    data.write_text("wage [USD],hours\n1,2\n")
    result = run(env, "datasets", "ingest", "d1", str(data))
    assert "wage [USD] (integer)" in result.output
    bad = run(env, "orgs", "create", "x", "--name", "X", "--archetype", "advocate")
    assert "[a-z0-9]" in bad.output
