"""Files as people export them: title and comment lines, decimal commas, day-first dates,
Windows-1252 bytes pasted into UTF-8. Each reading is a warning that says what was
interpreted; a column that could be read two ways stays text, never a guess."""

from __future__ import annotations

import datetime as dt

from .conftest import Ingest


def _warnings(result: object) -> dict[str, object]:
    return {w.type: w for w in result.report.warnings}  # type: ignore[attr-defined]


def test_title_and_comment_lines_above_the_header_are_skipped(ingest: Ingest) -> None:
    text = "# exported 2024-05-01\n# source: audit firm\nid,name\n1,a\n2,b\n"
    result = ingest("audits.csv", text)
    assert result.report.valid
    assert result.rows() == [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]
    assert "skipped-lines" in _warnings(result)


def test_decimal_commas_become_numbers_with_a_warning(ingest: Ingest) -> None:
    text = "id;wage\n1;1.234,50\n2;980,25\n3;2.000,00\n"
    result = ingest("wages.csv", text)
    assert result.report.valid
    assert result.column("wage") == [1234.5, 980.25, 2000.0]
    warning = _warnings(result)["decimal-comma"]
    assert warning.column == "wage"  # type: ignore[attr-defined]


def test_day_first_dates_become_dates_with_a_warning(ingest: Ingest) -> None:
    text = "id,visited\n1,25/03/2024\n2,02/04/2024\n"
    result = ingest("visits.csv", text)
    assert result.column("visited") == [dt.date(2024, 3, 25), dt.date(2024, 4, 2)]
    assert _warnings(result)["day-first-dates"].column == "visited"  # type: ignore[attr-defined]


def test_dates_that_read_both_ways_stay_text(ingest: Ingest) -> None:
    text = "id,visited\n1,03/04/2024\n2,05/06/2024\n"
    result = ingest("visits.csv", text)
    assert result.column("visited") == ["03/04/2024", "05/06/2024"]
    assert "ambiguous-dates" in _warnings(result)


def test_a_stray_windows_1252_byte_in_utf8_is_read_and_reported(ingest: Ingest) -> None:
    data = "id,name\n1,Caf\u00e9 Tex\n2,".encode() + b"Worker\x92s union\n"
    result = ingest("names.csv", data)
    assert result.report.valid
    assert result.column("name") == ["Caf\u00e9 Tex", "Worker\u2019s union"]
    warning = _warnings(result)["stray-bytes"]
    assert warning.row == 3  # type: ignore[attr-defined]
