"""The entities CLI through Typer's runner: output, exit codes and the resulting state."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from laborcommons.cli.main import app
from laborcommons.core.settings import Settings
from tests.entities.conftest import ZARYA, StandIn, World

runner = CliRunner()


@pytest.fixture
def env(settings: Settings) -> dict[str, str]:
    values = {"LABORCOMMONS_HOME": str(settings.home), "COLUMNS": "200"}
    if settings.database_url:
        values["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    return values


def run(env: dict[str, str], *args: str) -> Result:
    return runner.invoke(app, ["entities", *args], env=env)


def test_link_search_show_merge_and_changes(
    env: dict[str, str], world: World, stand_in_engine: StandIn, tmp_path: Path
) -> None:
    dry = run(env, "link", "suppliers", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Dry run (nothing changed)" in dry.output and "new 5" in dry.output
    assert "Saigon Garment Co." in dry.output
    assert "0 entities" in run(env, "search").output
    linked = run(env, "link", "suppliers")
    assert linked.exit_code == 0 and "entities_created 5" in linked.output
    found = run(env, "search", "saigon", "--country", "Vietnam")
    assert found.exit_code == 0 and "1 entities" in found.output
    exported = run(env, "export", "--format", "json")
    assert exported.exit_code == 0, (exported.output, exported.exception)
    saigon = json.loads(exported.output)["entities"]
    by_name = {e["name"]: e["lcid"] for e in saigon}
    shown = run(env, "show", by_name["东莞永发制衣厂"])
    assert shown.exit_code == 0 and json.loads(shown.output)["country"] == "CN"
    merged = run(
        env,
        "merge",
        by_name["Saigon Garment Co."],
        "--into",
        by_name["Dhaka Knit Composite Ltd."],
        "--reason",
        "test",
    )
    assert merged.exit_code == 0 and "Merged" in merged.output
    alias = run(env, "show", by_name["Saigon Garment Co."])
    assert json.loads(alias.stdout)["lcid"] == by_name["Dhaka Knit Composite Ltd."]
    twice = run(
        env,
        "merge",
        by_name["Saigon Garment Co."],
        "--into",
        by_name["东莞永发制衣厂"],
        "--reason",
        "test",
    )
    assert twice.exit_code == 5 and "already merged" in twice.output
    merged = run(env, "merge", by_name["Saigon Garment Co."], "--into", "nonsense", "--reason", "x")
    assert merged.exit_code == 2 and "not a stable ID" in merged.output
    changes = json.loads(run(env, "changes", "--since", "0", "--limit", "3").output)
    assert [e["event"] for e in changes["items"]] == ["created"] * 3


def test_review_from_the_command_line(
    env: dict[str, str], world: World, stand_in_engine: StandIn
) -> None:
    from tests.entities.conftest import add_list, link

    link(world.node, "suppliers")
    add_list(world, "brand-list", "supplier,country\nDhaka Garments Ltd,BD\nAnkara Denim,TR\n")
    link(world.node, "brand-list")
    listed = run(env, "review", "list")
    assert listed.exit_code == 0, listed.output
    assert "Dhaka Garments Ltd" in listed.output and "2 candidates" in listed.output
    accepted = run(env, "review", "accept", "1", "--reason", "same gate")
    assert accepted.exit_code == 0 and "1: accepted" in accepted.output
    rejected = run(env, "review", "reject", "2")
    assert rejected.exit_code == 0 and "2: rejected" in rejected.output
    assert "0 candidates" in run(env, "review", "list").output
    again = run(env, "review", "reject", "2")
    assert again.exit_code == 5 and "already rejected" in again.output


def test_export_formats(
    env: dict[str, str], world: World, stand_in_engine: StandIn, tmp_path: Path
) -> None:
    run(env, "link", "suppliers")
    table = list(csv.DictReader(io.StringIO(run(env, "export", "--format", "csv").output)))
    assert sorted(r["country"] for r in table) == ["BD", "CN", "RU", "TR", "VN"]
    assert ZARYA in {r["name"] for r in table}
    out = tmp_path / "map.geojson"
    assert run(env, "export", "--format", "geojson", "--output", str(out)).exit_code == 0
    assert json.loads(out.read_text())["type"] == "FeatureCollection"
    bad = run(env, "export", "--format", "xml")
    assert bad.exit_code == 2 and "format must be one of" in bad.output
