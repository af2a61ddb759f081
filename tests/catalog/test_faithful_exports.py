"""Downloads as stored on request, the original upload, TSV and JSON Lines, the XLSX limit.

Every export names the rule it applied to cells (``X-LaborCommons-Cells-Altered``); the
formula-safe CSV stays the default. Plain (open) and sealed (internal) versions alike.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from laborcommons.access.models import AuditRecord
from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.service import exports
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.core.settings import Settings
from tests.catalog.test_crash_safety import environment
from tests.factories import Member, ingest, make_dataset, make_member, make_org
from tests.web.steps import sign_in

# Signed text, a negative amount kept as text and a live formula: what the safe rule rewrites.
CSV = (
    "facility,change,balance,note\n"
    'Dhaka Knit Ltd,+12 pts,-5 USD,=HYPERLINK("http://evil")\n'
    "Saigon Apparel JSC,+3 pts,12 USD,ok\n"
)
ALTERED = "X-LaborCommons-Cells-Altered"
BASE = "/api/v1/datasets/wages/versions/1"


@pytest.fixture
def owner(node: Node) -> Member:
    make_org(node, "garment-union")
    return make_member(node, "owner@union.example", "garment-union", "owner")


def _wages(node: Node, tmp_path: Path, access: str, text: str = CSV) -> Path:
    make_dataset(node, "wages", "garment-union", access=access, license="CC-BY-4.0")
    path = tmp_path / "wages upload.csv"
    path.write_bytes(text.encode("utf-8"))
    ingest(node, "wages", path)
    return path


def _downloads(node: Node) -> list[dict[str, object]]:
    with unit_of_work(node.sessions) as session:
        query = select(AuditRecord).where(AuditRecord.action == "rows.download")
        return [dict(r.details or {}) for r in session.scalars(query.order_by(AuditRecord.seq))]


@pytest.mark.parametrize("access", ["open", "internal"])
def test_csv_is_safe_by_default_and_says_so(
    client: TestClient, node: Node, owner: Member, tmp_path: Path, access: str
) -> None:
    _wages(node, tmp_path, access)
    response = client.get(f"{BASE}/download", headers=owner.headers)
    assert response.status_code == 200, response.text
    assert response.headers[ALTERED] == "formula-prefix"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[1][1:] == ["'+12 pts", "'-5 USD", '\'=HYPERLINK("http://evil")']


@pytest.mark.parametrize("access", ["open", "internal"])
@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_safe_false_gives_cells_exactly_as_stored(
    client: TestClient,
    node: Node,
    owner: Member,
    tmp_path: Path,
    access: str,
    fmt: str,
    delimiter: str,
) -> None:
    _wages(node, tmp_path, access)
    response = client.get(
        f"{BASE}/download", params={"format": fmt, "safe": "false"}, headers=owner.headers
    )
    assert response.status_code == 200, response.text
    assert response.headers[ALTERED] == "none"
    rows = list(csv.reader(io.StringIO(response.text), delimiter=delimiter))
    assert rows[0] == ["facility", "change", "balance", "note"]
    assert rows[1] == ["Dhaka Knit Ltd", "+12 pts", "-5 USD", '=HYPERLINK("http://evil")']
    assert response.headers["content-type"].startswith(
        "text/csv" if fmt == "csv" else "text/tab-separated-values"
    )
    if access == "internal":  # restricted rows: kept out of caches, every read audited
        assert response.headers["Cache-Control"] == "private, no-store"
        assert _downloads(node)[-1]["safe"] is False


@pytest.mark.parametrize("access", ["open", "internal"])
def test_tsv_safe_and_json_lines(
    client: TestClient, node: Node, owner: Member, tmp_path: Path, access: str
) -> None:
    _wages(node, tmp_path, access)
    tsv = client.get(f"{BASE}/download", params={"format": "tsv"}, headers=owner.headers)
    assert tsv.headers[ALTERED] == "formula-prefix"
    assert tsv.text.splitlines()[1].split("\t")[:3] == ["Dhaka Knit Ltd", "'+12 pts", "'-5 USD"]
    lines = client.get(f"{BASE}/download", params={"format": "jsonl"}, headers=owner.headers)
    assert lines.status_code == 200, lines.text
    assert lines.headers[ALTERED] == "none"
    assert lines.headers["content-type"].startswith("application/jsonl")
    records = [json.loads(line) for line in lines.text.splitlines()]
    assert [r["change"] for r in records] == ["+12 pts", "+3 pts"]
    assert records[0]["balance"] == "-5 USD"


@pytest.mark.parametrize("access", ["open", "internal"])
def test_the_original_upload_is_returned_byte_for_byte(
    client: TestClient, node: Node, owner: Member, tmp_path: Path, access: str
) -> None:
    upload = _wages(
        node, tmp_path, access, text="\ufefffacility;wage\r\nDhaka Knit Ltd;9.000,00\r\n"
    )
    response = client.get(f"{BASE}/original", headers=owner.headers)
    assert response.status_code == 200, response.text
    assert response.content == upload.read_bytes()
    assert response.headers["content-type"] == "application/octet-stream"
    assert 'filename="wages-v1-original.csv"' in response.headers["content-disposition"]
    assert response.headers[ALTERED] == "none"
    if access == "internal":
        assert response.headers["Cache-Control"] == "private, no-store"
        sealed = node.store.path_for(_version_sha(node))
        assert not sealed.exists()  # still stored sealed only
        assert _downloads(node)[-1]["format"] == "original"


def _version_sha(node: Node) -> str:
    with unit_of_work(node.sessions) as session:
        return session.scalars(select(DatasetVersion.sha256)).one()


def test_a_restricted_original_answers_like_a_missing_dataset(
    client: TestClient, node: Node, owner: Member, tmp_path: Path
) -> None:
    _wages(node, tmp_path, "internal")
    outsider = make_member(node, "outsider@example.org")
    hidden = client.get(f"{BASE}/original", headers=outsider.headers)
    missing = client.get("/api/v1/datasets/nothing-here/versions/1/original")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["message"].replace("wages", "X") == missing.json()["error"][
        "message"
    ].replace("nothing-here", "X")
    assert client.get(f"{BASE}/original").status_code == 404


def test_web_download_as_stored_and_original(
    client: TestClient, node: Node, owner: Member, tmp_path: Path
) -> None:
    upload = _wages(node, tmp_path, "internal")
    sign_in(client, owner)
    page = client.get("/datasets/wages")
    assert "/datasets/wages/versions/1/original" in page.text
    assert "/datasets/wages/versions/1/download?format=csv&amp;safe=false" in page.text
    as_stored = client.get("/datasets/wages/versions/1/download?format=csv&safe=false")
    assert as_stored.status_code == 200, as_stored.text
    assert as_stored.headers[ALTERED] == "none"
    assert "+12 pts,-5 USD" in as_stored.text
    assert as_stored.headers["Cache-Control"] == "private, no-store"
    original = client.get("/datasets/wages/versions/1/original")
    assert original.content == upload.read_bytes()
    assert original.headers["Cache-Control"] == "private, no-store"


def test_xlsx_over_the_sheet_limit_is_refused_naming_csv_and_parquet(
    client: TestClient,
    node: Node,
    owner: Member,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _wages(node, tmp_path, "open")  # two rows + the header: three sheet rows
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
    fits = client.get(f"{BASE}/download", params={"format": "xlsx"}, headers=owner.headers)
    assert fits.status_code == 200, fits.text
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    refused = client.get(f"{BASE}/download", params={"format": "xlsx"}, headers=owner.headers)
    assert refused.status_code == 400
    message = refused.json()["error"]["message"]
    assert "CSV" in message and "Parquet" in message and "2 rows" in message


def test_the_excel_limit_is_excels() -> None:
    assert exports.XLSX_MAX_ROWS == 1_048_576


def test_unknown_format_lists_the_new_ones(
    client: TestClient, node: Node, owner: Member, tmp_path: Path
) -> None:
    _wages(node, tmp_path, "open")
    response = client.get(f"{BASE}/download", params={"format": "ods"})
    assert response.status_code == 400
    assert "tsv" in response.json()["error"]["message"]
    assert "jsonl" in response.json()["error"]["message"]


def test_cli_exports_as_stored_and_the_original(
    node: Node, settings: Settings, owner: Member, tmp_path: Path
) -> None:
    upload = _wages(node, tmp_path, "internal")
    runner, env = CliRunner(), environment(settings)
    safe_file, raw_file, original = tmp_path / "s.csv", tmp_path / "r.tsv", tmp_path / "o.csv"
    base = ["datasets", "export", "wages", "--output"]
    result = runner.invoke(app, [*base, str(safe_file), "--format", "csv"], env=env)
    assert result.exit_code == 0, result.output
    assert "Cells altered (formula-prefix)" in result.output
    assert "'+12 pts" in safe_file.read_text()
    result = runner.invoke(app, [*base, str(raw_file), "--format", "tsv", "--no-safe"], env=env)
    assert result.exit_code == 0, result.output
    assert "Cells altered" not in result.output
    assert "+12 pts\t-5 USD\t" in raw_file.read_text()
    result = runner.invoke(app, [*base, str(original), "--format", "original"], env=env)
    assert result.exit_code == 0, result.output
    assert original.read_bytes() == upload.read_bytes()
