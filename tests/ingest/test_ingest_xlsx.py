"""XLSX ingest: workbooks are built with openpyxl (and patched as zip files) in each test."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

import openpyxl
import pytest

from laborcommons.core.errors import PayloadTooLarge, UnsupportedMediaType

from .conftest import Ingest


def workbook(*sheets: tuple[str, Sequence[Sequence[Any]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def patch(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """Rewrite one part of an xlsx zip, keeping every other part as it is."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == member else content)
    return buffer.getvalue()


def test_title_rows_dates_and_cached_formula_values(ingest: Ingest) -> None:
    data = workbook(
        (
            "Suppliers",
            [
                ["Supplier audit 2024"],
                ["Prepared by the compliance team", None, None],
                ["Name", "Audited", "Workers", "Double", "Code"],
                ["Acme", dt.date(2021, 1, 2), 21, "=C4*2", "01234"],
                ["Bolt", dt.date(2022, 3, 4), 5, None, "00042"],
            ],
        )
    )
    # openpyxl writes formulas without a cached value; Excel would store one in <v>.
    data = patch(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb"<v ?/>|<v></v>", b"<v>42</v>", xml, count=1),
    )
    assert b"<f>C4*2</f>" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    done = ingest("audit.xlsx", data)
    assert done.report.valid
    assert done.result.sheet == "Suppliers"
    assert done.types() == {
        "Name": "string",
        "Audited": "date",
        "Workers": "integer",
        "Double": "integer",
        "Code": "string",
    }
    assert done.rows() == [
        {
            "Name": "Acme",
            "Audited": dt.date(2021, 1, 2),
            "Workers": 21,
            "Double": 42,
            "Code": "01234",
        },
        {
            "Name": "Bolt",
            "Audited": dt.date(2022, 3, 4),
            "Workers": 5,
            "Double": None,
            "Code": "00042",
        },
    ]
    assert not any("C4" in str(value) for row in done.rows() for value in row.values())


def test_datetimes_and_mixed_columns(ingest: Ingest) -> None:
    data = workbook(
        (
            "Sheet",
            [
                ["When", "Amount", "Mixed", "Flag"],
                [dt.datetime(2021, 1, 2, 10, 30), 1, "a", True],
                [dt.datetime(2021, 1, 3, 0, 0), 2.5, 3, False],
            ],
        )
    )
    done = ingest("mixed.xlsx", data)
    assert done.types() == {
        "When": "datetime",
        "Amount": "number",
        "Mixed": "string",
        "Flag": "boolean",
    }
    assert done.column("When") == [dt.datetime(2021, 1, 2, 10, 30), dt.datetime(2021, 1, 3)]
    assert done.column("Amount") == [1.0, 2.5]
    assert done.column("Mixed") == ["a", "3"]


def test_blank_trailing_columns_and_empty_rows_are_dropped(ingest: Ingest) -> None:
    data = workbook(
        (
            "Sheet",
            [
                ["id", "name", None, None],
                [1, "a", None, None],
                [None, None, None, None],
                [],
                [2, "b"],
            ],
        )
    )
    done = ingest("gaps.xlsx", data)
    assert done.rows() == [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]


def test_rows_are_excel_row_numbers(ingest: Ingest) -> None:
    data = workbook(("Sheet", [["Title"], [], ["id", "qty"], [1, 5], [], [2, "many"]]))
    schema = {"fields": [{"name": "qty", "type": "integer"}]}
    done = ingest("rows.xlsx", data, table_schema=schema)
    assert done.issues() == [("type-error", 6, "qty")]
    assert done.report.issues[0].value == "many"


def test_blank_header_over_data_and_duplicates(ingest: Ingest) -> None:
    data = workbook(("Sheet", [["id", None, "id"], [1, "x", 2]]))
    done = ingest("bad.xlsx", data)
    assert done.issues() == [("blank-header", 1, "column B"), ("duplicate-header", 1, "id")]


def test_cells_right_of_the_header_are_extra_cells(ingest: Ingest) -> None:
    data = workbook(("Sheet", [["id", "name"], [1, "a"], [2, "b", None, "note"]]))
    done = ingest("extra.xlsx", data)
    assert done.issues() == [("extra-cell", 3, "column D")]


def test_sheet_selection(ingest: Ingest) -> None:
    data = workbook(("First", [["a", "b"], [1, 2]]), ("Second", [["c", "d"], [3, 4]]))
    assert ingest("two.xlsx", data).rows() == [{"a": 1, "b": 2}]
    done = ingest("two.xlsx", data, sheet="Second")
    assert done.result.sheet == "Second"
    assert done.rows() == [{"c": 3, "d": 4}]


def test_sheet_not_found_lists_the_sheets(ingest: Ingest) -> None:
    data = workbook(("First", [["a", "b"]]), ("Second", [["c", "d"]]))
    done = ingest("two.xlsx", data, sheet="Third")
    assert [issue[0] for issue in done.issues()] == ["sheet-not-found"]
    assert "'First', 'Second'" in done.report.issues[0].message


def test_zip_bomb_is_refused_before_opening(ingest: Ingest) -> None:
    padding = b" " * (50 * 1024 * 1024)
    bomb = patch(
        workbook(("Sheet", [["a", "b"], [1, 2]])),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + padding),
    )
    assert len(bomb) < 1024 * 1024
    with pytest.raises(PayloadTooLarge, match=r"bomb\.xlsx.*sheet1\.xml.*zip bomb") as raised:
        ingest("bomb.xlsx", bomb)
    assert raised.value.status_code == 413


def test_declared_size_over_the_limit_is_refused(ingest: Ingest) -> None:
    data = workbook(("Sheet", [["a", "b"], [1, 2]]))
    with pytest.raises(PayloadTooLarge, match=r"big\.xlsx.*over the limit"):
        ingest("big.xlsx", data, max_uncompressed_bytes=1000)


@pytest.mark.parametrize("content", [b"id,name\n1,a\n", b"PK\x03\x04" + b"\x00" * 40])
def test_not_a_zip_is_refused(ingest: Ingest, content: bytes) -> None:
    with pytest.raises(UnsupportedMediaType, match=r"fake\.xlsx.*not a spreadsheet"):
        ingest("fake.xlsx", content)


def test_a_zip_that_is_not_a_workbook_is_refused(ingest: Ingest) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(UnsupportedMediaType, match="not a readable Excel workbook"):
        ingest("hello.xlsm", buffer.getvalue())
