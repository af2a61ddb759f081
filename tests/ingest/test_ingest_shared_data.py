"""Real files from ../shared/data (see its README): messy workbooks as published."""

from __future__ import annotations

import pytest

from tests.conftest import shared_data

from .conftest import Ingest

shared_file = shared_data  # skips locally when absent, fails under CI


@pytest.mark.shared_data
def test_knowthechain_2021_benchmark_sheet(ingest: Ingest) -> None:
    path = shared_file("brands/knowthechain/2021-KTC-AF-Benchmark-Dataset.xlsx")
    done = ingest(path.name, path.read_bytes(), sheet="1) Benchmark Scoring")
    assert done.report.valid
    # Two title rows (benchmark name, indicator numbers) sit above the real header.
    names = [column.name for column in done.result.columns]
    assert names[:4] == ["Company", "Ticker", "ISIN", "Subindustry"]
    types = done.types()
    assert types["ISIN"] == "string"
    assert types["Market Cap\nin US$ bn\n(2019)"] == "number"
    assert types["Year of Inclusion\nin Benchmark"] == "integer"
    rows = done.rows()
    assert rows[0]["Company"] == "Adidas AG"
    assert rows[0]["ISIN"] == "DE000A1EWWW0"
    # The last row's scores are =AVERAGE(...) formulas: their cached values are read.
    assert rows[-1]["Company"] == "2020 Average score"
    assert rows[-1]["Commitment"] == pytest.approx(95.94594594594595)


@pytest.mark.shared_data
def test_open_apparel_registry_list_as_excel_matches_its_csv(ingest: Ingest) -> None:
    workbook = shared_file("facilities/oar-lists/12.xlsx")
    text = shared_file("facilities/oar-lists/12.csv")
    from_excel = ingest("12.xlsx", workbook.read_bytes())
    excel_rows = from_excel.rows()
    from_csv = ingest("12.csv", text.read_bytes())
    assert (
        from_excel.types()
        == from_csv.types()
        == {
            "country": "string",
            "name": "string",
            "address": "string",
        }
    )
    assert from_excel.result.row_count == from_csv.result.row_count == 15
    csv_rows = from_csv.rows()
    for key in ("country", "name"):
        assert [row[key] for row in excel_rows] == [row[key] for row in csv_rows]


@pytest.mark.shared_data
def test_wikirate_export_with_comment_lines_above_the_header(ingest: Ingest) -> None:
    path = shared_file("brands/fti-2023/Labor_Rights_Working_Conditions.csv")
    done = ingest(path.name, path.read_bytes())
    assert done.report.valid, done.issues()
    names = [column.name for column in done.result.columns]
    assert names[:5] == ["Answer Page", "Metric", "Company", "Year", "Value"]
    skipped = [w for w in done.report.warnings if w.type == "skipped-lines"]
    # The four '#' lines WikiRate writes, each reported with its line.
    assert [w.row for w in skipped] == [1, 2, 3, 4]
    assert "above the header (line 5): skipped" in skipped[0].message
    rows = done.rows()
    assert len(rows) == 2500 and rows[0]["Company"] == "Puma"
    assert done.types()["Year"] == "integer"
