"""The new formats and their options through every edge: API upload, CLI and web form."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from laborcommons.cli.main import app
from laborcommons.core.node import Node
from laborcommons.core.settings import Settings
from tests.factories import Member, make_member, make_org
from tests.web.steps import csrf_from, sign_in

from .files import SUPPLIERS, ods, pdf, xls
from .test_ingest_html import PAGE
from .test_ingest_pdf import FACTORIES, SMALL


@pytest.fixture
def owner(node: Node) -> Member:
    make_org(node, "garment-union")
    return make_member(node, "owner@union.example", "garment-union", "owner")


def _create(client: TestClient, owner: Member, slug: str = "suppliers") -> None:
    body = {
        "slug": slug,
        "organization": "garment-union",
        "title": "Suppliers",
        "data_type": "supply-chain",
    }
    response = client.post("/api/v1/datasets", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text


def _upload(client: TestClient, owner: Member, name: str, content: bytes, **form: str):
    return client.post(
        "/api/v1/datasets/suppliers/versions",
        files={"file": (name, content)},
        data=form,
        headers=owner.headers,
    )


def test_api_upload_takes_each_format_and_its_options(client: TestClient, owner: Member) -> None:
    _create(client, owner)
    books = [("a.xls", xls(("Suppliers", SUPPLIERS))), ("a.ods", ods(("Suppliers", SUPPLIERS)))]
    for name, data in books:
        response = _upload(client, owner, name, data, sheet="Suppliers")
        assert response.status_code == 201, response.text
        assert response.json()["sheet"] == "Suppliers"
    report = pdf(SMALL, FACTORIES)
    first = _upload(client, owner, "report.pdf", report, table="1")
    assert first.status_code == 201, first.text
    assert first.json()["row_count"] == 1 and first.json()["sheet"] == "table 1 on page 1"
    largest = _upload(client, owner, "report.pdf", report, page="2")
    assert largest.status_code == 201 and largest.json()["row_count"] == 80
    again = _upload(client, owner, "report.pdf", report, page="2")
    assert again.status_code == 200  # the same table of the same file: no new version
    web = _upload(client, owner, "suppliers.html", PAGE.encode(), table="suppliers")
    assert web.status_code == 201 and web.json()["row_count"] == 3
    missing = _upload(client, owner, "report.pdf", report, table="9")
    assert missing.status_code == 422
    issue = missing.json()["error"]["details"]["issues"][0]
    assert issue["type"] == "table-not-found"
    assert len(missing.json()["error"]["details"]["tables"]) == 2


def test_api_refuses_an_option_the_format_has_no_use_for(client: TestClient, owner: Member) -> None:
    _create(client, owner)
    wrong = _upload(client, owner, "report.pdf", pdf(SMALL), sheet="Data")
    assert wrong.status_code == 422
    assert "sheet option applies only to ods, xls, xlsx" in wrong.json()["error"]["message"]
    assert _upload(client, owner, "a.csv", b"a,b\n1,2\n", table="1").status_code == 422
    assert _upload(client, owner, "a.html", PAGE.encode(), page="1").status_code == 422
    assert _upload(client, owner, "a.pdf", pdf(SMALL), page="0").status_code == 422
    assert _upload(client, owner, "a.pdf", pdf(SMALL), page="one").status_code == 422
    listed = client.get("/api/v1/datasets/suppliers/versions", headers=owner.headers)
    assert listed.json() == []  # every refusal came before any version was made


def test_cli_ingest_reads_a_pdf_table_and_refuses_a_stray_option(
    settings: Settings, tmp_path: Path
) -> None:
    env = {"LABORCOMMONS_HOME": str(settings.home)}
    if settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), env=env)

    assert run("orgs", "create", "un", "--name", "U", "--archetype", "advocate").exit_code == 0
    created = run("datasets", "create", "d1", "--org", "un", "--title", "D", "--data-type", "other")
    assert created.exit_code == 0, created.output
    report = tmp_path / "report.pdf"
    report.write_bytes(pdf(SMALL, FACTORIES))
    done = run("datasets", "ingest", "d1", str(report), "--page", "3")
    assert done.exit_code == 0, done.output
    assert "Version 1: 80 rows" in done.output and "Read table 2 on pages 1-3" in done.output
    sheet = tmp_path / "book.ods"
    sheet.write_bytes(ods(("Suppliers", SUPPLIERS)))
    assert "Version 2: 2 rows" in run("datasets", "ingest", "d1", str(sheet)).output
    stray = run("datasets", "ingest", "d1", str(sheet), "--table", "2")
    assert stray.exit_code != 0 and "table option applies only to html, pdf" in stray.output


def test_web_form_uploads_an_xls_and_shows_a_missing_table(
    client: TestClient, owner: Member
) -> None:
    _create(client, owner)
    sign_in(client, owner)

    def post(name: str, content: bytes, **fields: str):
        token = csrf_from(client, "/datasets/suppliers/upload")
        return client.post(
            "/datasets/suppliers/upload",
            data={"csrf_token": token, "message": "", **fields},
            files={"file": (name, content)},
            follow_redirects=False,
        )

    done = post("a.xls", xls(("Suppliers", SUPPLIERS)), sheet="Suppliers")
    assert done.status_code == 303, done.text
    assert "Version 1: 2 rows" in client.get("/datasets/suppliers").text
    missing = post("page.html", PAGE.encode(), table="menu", page="")
    assert missing.status_code == 422
    assert "table-not-found" in missing.text and "table 2 (#suppliers)" in missing.text
    assert 'name="table" value="menu"' in missing.text
    stray = post("report.pdf", pdf(SMALL), page="x")
    assert stray.status_code == 422 and "page must be a whole number" in stray.text
