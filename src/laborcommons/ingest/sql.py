"""DuckDB plumbing shared by the readers: one fresh, bounded connection per ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

# A quarter of DuckDB's default row group: a row page at any offset then decodes ~4x less
# (bench/api.py: 2.9 -> 1.4 ms per random page of a 100k-row version), while scans and
# compression barely change.
ROW_GROUP_ROWS = 32_768


class QueryFailed(Exception):
    """A query streaming into Parquet failed (DuckDB errors arrive through Arrow as OSError)."""


def connect(scratch: Path) -> Any:
    """Open an in-memory database capped at 2 threads and 1 GB so no upload starves the node."""
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


def stage_parquet(con: Any, select_sql: str, target: Path) -> None:
    """Write an intermediate file with DuckDB's parallel COPY (fast, not byte-stable)."""
    copy = f"COPY ({select_sql}) TO {literal(target)} (FORMAT parquet, COMPRESSION zstd)"
    con.execute(copy).fetchall()  # DuckDB 2 refuses new work while a result is unfetched


def write_parquet(con: Any, select_sql: str, target: Path) -> None:
    """Write the output file: zstd Parquet with exactly ROW_GROUP_ROWS rows per row group.

    DuckDB's parallel COPY cuts row groups wherever thread timing falls, so two runs over one
    input can differ byte for byte. Re-chunking DuckDB's Arrow stream here keeps its parallel
    parsing while making the file a function of the data alone.
    """
    try:
        reader = con.sql(select_sql).to_arrow_reader(ROW_GROUP_ROWS)
        pending: list[pa.RecordBatch] = []
        buffered = 0
        # Dictionary-encode text only: numbers rarely repeat enough to pay for trying.
        text = [field.name for field in reader.schema if pa.types.is_string(field.type)]
        options = {"compression": "zstd", "use_dictionary": text}
        with pq.ParquetWriter(str(target), reader.schema, **options) as writer:
            for batch in reader:
                pending.append(batch)
                buffered += batch.num_rows
                if buffered >= ROW_GROUP_ROWS:
                    table = pa.Table.from_batches(pending, schema=reader.schema)
                    full = buffered - buffered % ROW_GROUP_ROWS
                    writer.write_table(table.slice(0, full), row_group_size=ROW_GROUP_ROWS)
                    rest = table.slice(full)
                    pending, buffered = rest.to_batches(), rest.num_rows
            if buffered:
                table = pa.Table.from_batches(pending, schema=reader.schema)
                writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
    except (duckdb.Error, pa.ArrowException, OSError) as error:
        raise QueryFailed(first_line(error)) from error


def first_line(error: BaseException) -> str:
    """DuckDB messages run to a page of hints; users need the first line."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
