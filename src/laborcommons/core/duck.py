"""DuckDB over Parquet: the one way rows are queried (streaming, never whole lists)."""

from __future__ import annotations

from typing import Any

import duckdb

FILE_ROW_NUMBER = "file_row_number"
"""The column ``read_parquet(..., file_row_number=true)`` adds: the 0-based row in the file."""


def connect(*, threads: int = 2, memory_limit: str = "1GB") -> Any:
    """A fresh in-memory DuckDB connection; cheap, so each request gets its own."""
    connection = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit})
    return connection


def quote_identifier(name: str) -> str:
    """Quote a column name for SQL; callers still check names against the known columns."""
    return '"' + name.replace('"', '""') + '"'


def sql_string(value: str) -> str:
    """A SQL string literal, for the file paths DuckDB cannot take as parameters."""
    return "'" + value.replace("'", "''") + "'"


def parquet_source(path: object) -> str:
    return f"read_parquet({sql_string(str(path))})"
