"""Column names in downloads are as dangerous as cells: one escaping rule for both."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from laborcommons.catalog.service import escape_formula
from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset, make_member, make_org

HEADER = '=HYPERLINK("http://evil"),+wage,facility\n'
CSV = HEADER + "1,200,Dhaka Knit Ltd\n2,300,Saigon Apparel JSC\n"


@pytest.fixture
def owner(node: Node) -> Member:
    make_org(node, "garment-union")
    return make_member(node, "owner@union.example", "garment-union", "owner")


@pytest.mark.parametrize("access", ["open", "internal"])  # plain and sealed exports
def test_column_names_are_escaped_in_csv_and_xlsx(
    client: TestClient, node: Node, owner: Member, tmp_path: Path, access: str
) -> None:
    make_dataset(node, "wages", "garment-union", access=access, license="CC-BY-4.0")
    path = tmp_path / "wages.csv"
    path.write_text(CSV)
    ingest(node, "wages", path)
    base = "/api/v1/datasets/wages/versions/1/download"

    as_csv = client.get(base, params={"format": "csv"}, headers=owner.headers)
    assert as_csv.status_code == 200, as_csv.text
    header = next(csv.reader(io.StringIO(as_csv.text)))
    assert header == ['\'=HYPERLINK("http://evil")', "'+wage", "facility"]

    as_xlsx = client.get(base, params={"format": "xlsx"}, headers=owner.headers)
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    first = sheet.cell(row=1, column=1)
    assert first.data_type == "s" and first.value == '=HYPERLINK("http://evil")'


def test_escape_formula_is_the_one_rule() -> None:
    assert [escape_formula(v) for v in ("=1", "+1", "-1", "@a", "\tx", "\rx", "a=1", "")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "a=1",
        "",
    ]
