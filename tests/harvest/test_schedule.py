"""Scheduled runs (`harvest run --due`) and the limits on what a remote may send."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from typer.testing import CliRunner

from laborcommons.access import NODE_ADMIN
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work, utcnow
from laborcommons.core.node import Node
from laborcommons.harvest import LEASE, add_source, due_sources
from laborcommons.harvest.dcat import harvest_dcat
from laborcommons.harvest.fetch import HarvestFailed, fetch
from laborcommons.harvest.models import HarvestSource
from laborcommons.harvest.schemas import SourceCreate


def sources(node: Node, **states: dict[str, object]) -> None:
    with unit_of_work(node.sessions) as session:
        for slug, fields in states.items():
            data = SourceCreate(slug=slug, kind="ckan", url=f"http://{slug}.example")
            add_source(data, reader=NODE_ADMIN, session=session)
            source = session.query(HarvestSource).filter_by(slug=slug).one()
            for name, value in fields.items():
                setattr(source, name, value)


def test_due_sources_are_those_whose_interval_passed(node: Node) -> None:
    now = utcnow()
    sources(
        node,
        manual={},  # no interval: only run on demand
        fresh={"interval_minutes": 60, "status": "ok", "finished_at": now - timedelta(minutes=5)},
        stale={"interval_minutes": 60, "status": "ok", "finished_at": now - timedelta(hours=2)},
        new={"interval_minutes": 60},
        live={"interval_minutes": 5, "status": "running", "started_at": now},
        dead={"interval_minutes": 5, "status": "running", "started_at": now - 2 * LEASE},
    )
    with unit_of_work(node.sessions) as session:
        assert due_sources(session=session, now=now) == ["dead", "new", "stale"]


def test_run_due_from_the_cli(node: Node, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORCOMMONS_HOME", str(node.settings.home))
    monkeypatch.setenv("LABORCOMMONS_DATABASE_URL", node.settings.resolved_database_url)
    runner = CliRunner()
    assert "No source is due" in runner.invoke(app, ["harvest", "run", "--due"]).output
    # A scheduled source on a port nobody listens on: the run fails, the command says so.
    sources(node, gone={"interval_minutes": 60, "url": "http://127.0.0.1:9"})
    result = runner.invoke(app, ["harvest", "run", "--due"])
    assert result.exit_code == 1 and "gone: failed" in result.output
    with unit_of_work(node.sessions) as session:
        source = session.query(HarvestSource).one()
        assert source.status == "failed" and source.finished_at is not None
        assert due_sources(session=session, now=utcnow()) == []  # next due in an hour


def answering(body: bytes, content_type: str) -> httpx.Client:
    reply = httpx.Response(200, content=body, headers={"content-type": content_type})
    return httpx.Client(transport=httpx.MockTransport(lambda _r: reply))


REFUSED = {
    "remote json-ld context": (
        b'{"@context": "http://evil.example/context.jsonld", "@id": "http://x/a"}',
        "application/ld+json",
        "remote JSON-LD contexts",
    ),
    "xml entities": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>',
        "application/rdf+xml",
        "not safe, well-formed XML",
    ),
    "not rdf": (b"<html></html>", "text/html", "not RDF"),
    "bad turtle": (b"this is not turtle", "text/turtle", "not a readable turtle"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_dcat_documents_that_would_reach_out_or_make_no_sense_fail(case: str) -> None:
    body, content_type, reason = REFUSED[case]
    with pytest.raises(HarvestFailed, match=reason):
        list(harvest_dcat(answering(body, content_type), "http://x.example/catalog"))


def test_a_response_past_the_size_limit_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("laborcommons.harvest.fetch.MAX_RESPONSE_BYTES", 100)
    with pytest.raises(HarvestFailed, match="more than 100 bytes"):
        fetch(answering(b"x" * 101, "text/turtle"), "http://x.example/", accept="*/*")
    assert fetch(answering(b"x" * 100, "text/turtle"), "http://x.example/", accept="*/*").body
