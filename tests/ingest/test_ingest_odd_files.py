"""Wide and odd files: read in full or refused with a clear issue, never cut silently and
never a 500. Headers past 64 KiB, thousands of columns, CR-only line endings, JSON nested
past the parser's limit, and an XLSX sheet that declares a DTD."""

from __future__ import annotations

import pytest

from laborcommons.ingest.readers.csv_dialect import MAX_COLUMNS, MAX_HEADER_CHARS

from .conftest import Ingest
from .test_ingest_xlsx import patch, workbook


def test_a_header_past_64_kib_is_read_in_full(ingest: Ingest) -> None:
    names = [f"indicator_{i:05d}_living_wage_gap_usd" for i in range(3000)]
    header = ",".join(names)
    assert len(header) > 64 * 1024  # where columns used to be dropped silently
    text = header + "\n" + ",".join(str(i) for i in range(3000)) + "\n"
    result = ingest("wide.csv", text)
    assert result.report.valid, result.issues()
    assert list(result.rows()[0]) == names
    assert result.rows()[0][names[-1]] == 2999


def test_more_columns_than_the_limit_is_refused_not_cut(ingest: Ingest) -> None:
    text = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n" + "1," * MAX_COLUMNS + "1\n"
    result = ingest("too-wide.csv", text)
    assert [t for t, _, _ in result.issues()] == ["too-many-columns"]
    assert f"{MAX_COLUMNS + 1:,} columns" in result.report.issues[0].message


def test_a_header_longer_than_the_limit_is_refused_with_its_line(ingest: Ingest) -> None:
    text = "x" * (MAX_HEADER_CHARS + 10) + "\n1\n"
    result = ingest("long-header.csv", text)
    assert result.issues() == [("too-many-columns", 1, None)]
    assert "refused rather than cut" in result.report.issues[0].message


def test_cr_only_line_endings_are_rows(ingest: Ingest) -> None:
    result = ingest("classic-mac.csv", "id,name\r1,Dhaka Knit\r2,Tongi Sew\r")
    assert result.report.valid, result.issues()
    assert result.rows() == [{"id": 1, "name": "Dhaka Knit"}, {"id": 2, "name": "Tongi Sew"}]


@pytest.mark.parametrize("depth", [5_000, 200_000])
def test_json_nested_past_the_limit_is_a_report(ingest: Ingest, depth: int) -> None:
    text = '[{"id": 1, "x": ' + "[" * depth + "]" * depth + "}]"
    result = ingest("deep.json", text)
    assert not result.report.valid
    assert [t for t, _, _ in result.issues()] == ["json-too-deep"]


def test_an_xlsx_sheet_with_a_dtd_is_refused_with_a_report(ingest: Ingest) -> None:
    data = workbook(("Sheet1", [["id", "name"], [1, "a"]]))
    laughs = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    dtd = patch(data, "xl/worksheets/sheet1.xml", lambda xml: laughs + xml)
    result = ingest("dtd.xlsx", dtd)
    assert result.issues() == [("xml-forbidden", None, None)]
    assert "xl/worksheets/sheet1.xml declares a DTD" in result.report.issues[0].message
