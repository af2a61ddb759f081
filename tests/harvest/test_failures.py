"""A broken remote fails the run with a reason and changes no entry; a killed run expires."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from laborcommons.access import NODE_ADMIN
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work, utcnow
from laborcommons.core.errors import Conflict
from laborcommons.core.node import Node
from laborcommons.harvest import LEASE, add_source, run_source
from laborcommons.harvest.models import HarvestSource
from laborcommons.harvest.schemas import SourceCreate

BASE = "http://partner.example"
GOOD = {
    "success": True,
    "result": {
        "count": 1,
        "results": [{"id": "p1", "name": "wages", "title": "Wages", "notes": "", "tags": []}],
    },
}


def client_answering(handler: httpx.MockTransport) -> httpx.Client:
    return httpx.Client(transport=handler)


def json_answer(body: object, status: int = 200) -> httpx.Client:
    return client_answering(httpx.MockTransport(lambda _r: httpx.Response(status, json=body)))


def run(node: Node, client: httpx.Client) -> HarvestSource:
    run_source("partner", reader=NODE_ADMIN, sessions=node.sessions, client=client)
    with unit_of_work(node.sessions) as session:
        source = session.query(HarvestSource).one()
        session.expunge(source)
    return source


@pytest.fixture
def harvested(node: Node) -> Node:
    with unit_of_work(node.sessions) as session:
        data = SourceCreate(slug="partner", kind="ckan", url=BASE)
        add_source(data, reader=NODE_ADMIN, session=session)
    assert run(node, json_answer(GOOD)).status == "ok"
    return node


def timeout(_request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("slow")


BROKEN = {
    "bad json": (
        httpx.MockTransport(lambda _r: httpx.Response(200, content=b"{not json")),
        "did not answer JSON",
    ),
    "http 500": (httpx.MockTransport(lambda _r: httpx.Response(500)), "answered HTTP 500"),
    "timeout": (httpx.MockTransport(timeout), "did not answer in time"),
    "no identifier": (
        httpx.MockTransport(
            lambda _r: httpx.Response(
                200, json={"success": True, "result": {"count": 1, "results": [{"title": "T"}]}}
            )
        ),
        "remote_id",
    ),
    "redirect to file": (
        httpx.MockTransport(
            lambda _r: httpx.Response(302, headers={"location": "file:///etc/passwd"})
        ),
        "only http(s) URLs",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_remote_fails_the_run_and_keeps_the_entries(
    case: str, harvested: Node, client: TestClient
) -> None:
    transport, reason = BROKEN[case]
    source = run(harvested, client_answering(transport))
    assert source.status == "failed" and reason in source.last_error
    items = client.get("/api/v1/harvest/remote-datasets").json()["items"]
    assert [i["title"] for i in items] == ["Wages"]


def test_a_run_killed_midway_expires_after_its_lease(harvested: Node) -> None:
    with unit_of_work(harvested.sessions) as session:
        source = session.query(HarvestSource).one()
        source.status, source.started_at = "running", utcnow()
    with pytest.raises(Conflict):
        run(harvested, json_answer(GOOD))
    with unit_of_work(harvested.sessions) as session:
        session.query(HarvestSource).one().started_at = utcnow() - LEASE - timedelta(minutes=1)
    result = run_source(
        "partner", reader=NODE_ADMIN, sessions=harvested.sessions, client=json_answer(GOOD)
    )
    assert result.source.status == "ok"
    assert result.interrupted and "never finished" in result.interrupted


def test_the_cli_adds_lists_and_removes(harvested: Node, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORCOMMONS_HOME", str(harvested.settings.home))
    monkeypatch.setenv("LABORCOMMONS_DATABASE_URL", harvested.settings.resolved_database_url)
    runner = CliRunner()
    added = runner.invoke(
        app,
        [
            "harvest",
            "add",
            "hub",
            "--kind",
            "dcat",
            "--url",
            f"{BASE}/catalog.ttl",
            "--every",
            "60",
        ],
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["harvest", "list"])
    assert listed.exit_code == 0 and "hub" in listed.output and "partner" in listed.output
    assert runner.invoke(app, ["harvest", "run"]).exit_code == 2
    assert runner.invoke(app, ["harvest", "remove", "partner"]).exit_code == 0
    with unit_of_work(harvested.sessions) as session:
        assert [s.slug for s in session.query(HarvestSource)] == ["hub"]
