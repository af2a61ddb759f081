"""What every reader receives and hands back: a staged Parquet file that the service finishes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laborcommons.ingest.schemas import ValidationReport

# Name of the staged column that carries each record's row number in the file (XLSX, XML).
ROW_COLUMN = "__laborcommons_row__"


@dataclass(frozen=True)
class ReadRequest:
    source: Path
    name: str  # the user's file name, used in messages
    scratch: Path  # private directory, deleted after the ingest
    con: Any  # this ingest's DuckDB connection
    report: ValidationReport
    sheet: str | None = None
    page: int | None = None  # PDF: the page whose table to read
    table: str | None = None  # PDF, HTML: table number (or HTML id) to read
    as_text: bool = False  # keep raw strings: a Table Schema will check and type them


@dataclass(frozen=True)
class StagedColumn:
    source: str  # column name inside the staged Parquet
    name: str  # column name in the output
    type: str | None  # DuckDB type to cast to, or None to infer it from string values


@dataclass
class Staged:
    """A reader's output: the service validates, types and profiles it into the final file."""

    path: Path
    columns: list[StagedColumn]
    text: bool = True  # staged values are strings to be cast to each column's type
    ready: bool = False  # already final (names and types): no rewrite needed
    row_column: str | None = None  # staged column holding the file row number
    first_row: int = 2  # else: file row number of the first staged record
    header_row: int | None = 1
    sheet: str | None = None

    def row_sql(self) -> str:
        """SQL for a record's row number, reading the stage with ``file_row_number=true``."""
        if self.row_column is not None:
            return '"' + self.row_column + '"'
        return f"(file_row_number + {self.first_row})"


Reader = Callable[[ReadRequest], Staged | None]
