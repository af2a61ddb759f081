"""`laborcommons demo` fills a node through the real services, and is idempotent."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from laborcommons.cli.main import app
from laborcommons.core.settings import Settings
from laborcommons.demo.answers import SURVEY


def test_demo_fills_the_node_once(settings: Settings, client: TestClient) -> None:
    env = {"LABORCOMMONS_HOME": str(settings.home)}
    if settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    runner = CliRunner()
    first = runner.invoke(app, ["demo"], env=env)
    assert first.exit_code == 0, first.output
    assert "10 new versions" in first.output
    again = runner.invoke(app, ["demo"], env=env)
    assert "0 new versions" in again.output and "(0 new)" in again.output
    organizations = client.get("/api/v1/organizations").json()["items"]
    archetypes = {o["archetype"] for o in organizations}
    assert len(archetypes) == 7
    public = client.get("/api/v1/datasets", params={"page_size": 50}).json()
    levels = {d["access"] for d in public["items"]}
    assert levels <= {"public", "open", "internal"} and public["total"] >= 5
    # An internal dataset is listed only because anyone may ask its approved questions.
    internal = [d["slug"] for d in public["items"] if d["access"] == "internal"]
    assert internal == [SURVEY]
    assert (settings.home / "demo" / "truth" / "ground_truth.csv").exists()
