"""Property: a table written as CSV comes back from read_to_parquet exactly as it went in."""

from __future__ import annotations

import csv
import io
import string
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from laborcommons.ingest import read_to_parquet

CHARS = st.characters(exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from(',;|\t"\n ')
TEXT = st.text(CHARS, min_size=1, max_size=12)
CODE = st.from_regex(r"0[0-9]{1,6}", fullmatch=True)  # postal codes, IDs: must stay text
# A value only text can hold (a quote and a line break), so the column is text whatever
# else it contains: "1", "true", "2021-01-01" stay strings beside it.
SURELY_TEXT = TEXT.map(lambda value: value + '"\n')
INT = st.integers(-(2**63), 2**63 - 1)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[Any]]]:
    names = draw(
        st.lists(
            st.text(string.ascii_letters + "_", min_size=1, max_size=8),
            min_size=2,
            max_size=5,
            unique_by=str.casefold,
        )
    )
    height = draw(st.integers(0, 12))
    columns = []
    for _ in names:
        kind = draw(st.sampled_from(["int", "text", "code"]))
        cell = {"int": INT, "text": st.one_of(TEXT, CODE), "code": CODE}[kind]
        values = draw(st.lists(st.none() | cell, min_size=height, max_size=height))
        if kind == "text" and height:
            values[draw(st.integers(0, height - 1))] = draw(SURELY_TEXT)
        columns.append(values)
    return names, [list(row) for row in zip(*columns, strict=True)] if height else []


@settings(max_examples=80, deadline=None)
@given(tables())
def test_csv_round_trip(table: tuple[list[str], list[list[Any]]]) -> None:
    names, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in"
        source.write_text(buffer.getvalue(), encoding="utf-8")
        out = Path(folder) / "out.parquet"
        result = read_to_parquet(source, original_name="table.csv", out_path=out)
        assert result.report.valid, result.report.issues
        back = pq.read_table(out).to_pylist()
    assert [list(row.values()) for row in back] == rows
    assert [column.name for column in result.columns] == names
