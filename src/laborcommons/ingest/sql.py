"""DuckDB plumbing shared by the readers: one fresh, bounded connection per ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

# Pinned writer options so the same input always gives byte-identical Parquet.
PARQUET_OPTIONS = "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"


def connect(scratch: Path) -> Any:
    """Open an in-memory database capped at 2 threads and 1 GB so one upload cannot starve the node."""
    return duckdb.connect(
        config={
            "threads": 2,
            "memory_limit": "1GB",
            "preserve_insertion_order": True,
            "temp_directory": str(scratch / "duckdb-spill"),
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    )


def literal(value: str | Path) -> str:
    """Quote a string (or path) as a SQL literal; table functions take no bind parameters."""
    return "'" + str(value).replace("'", "''") + "'"


def ident(name: str) -> str:
    """Quote a column name, which may hold any character a spreadsheet header can."""
    return '"' + name.replace('"', '""') + '"'


def copy_to_parquet(con: Any, select_sql: str, target: Path) -> None:
    """Write a query to Parquet with the pinned options."""
    con.execute(f"COPY ({select_sql}) TO {literal(target)} {PARQUET_OPTIONS}")


def first_line(error: BaseException) -> str:
    """DuckDB messages run to a page of hints; users need the first line."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
