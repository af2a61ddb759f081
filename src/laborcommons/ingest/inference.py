"""Column types: DuckDB's type names mapped to ours, and inference for columns staged as text.

Inference is hand-written rather than DuckDB's CSV sniffer because it runs on any all-text
source (XML, CSV fallback) and must be stricter than TRY_CAST alone, which accepts
"1.5" as the integer 2, "0x10" as 16 and "01234" as 1234.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from laborcommons.ingest.schemas import ColumnType
from laborcommons.ingest.sql import ident, literal

INTEGER_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
}
INTEGER = r"[+-]?(0|[1-9][0-9]*)"  # no leading zeros: "01234" is a code, not a number
NUMBER = r"[+-]?((0|[1-9][0-9]*)(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
# The words DuckDB's CSV sniffer reads as booleans, so both typing paths agree.
BOOLEAN_WORDS = "('true', 'false', 't', 'f', 'yes', 'no')"
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
DATETIME = DATE + r"[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"


def column_type(duck_type: str) -> ColumnType:
    """Map a DuckDB type name to the project's column type."""
    name = duck_type.upper()
    if name in INTEGER_TYPES:
        return "integer"
    if name in ("DOUBLE", "FLOAT", "REAL") or name.startswith("DECIMAL"):
        return "number"
    if name == "BOOLEAN":
        return "boolean"
    if name == "DATE":
        return "date"
    if name.startswith("TIMESTAMP"):
        return "datetime"
    return "string"


def _matches(value: str, pattern: str, duck_type: str) -> str:
    return (
        f"(regexp_full_match({value}, {literal(pattern)}) "
        f"AND TRY_CAST({value} AS {duck_type}) IS NOT NULL)"
    )


def _tests(column: str) -> list[tuple[str, str]]:
    value = f"trim({ident(column)})"
    date = _matches(value, DATE, "DATE")
    return [
        ("BIGINT", _matches(value, INTEGER, "BIGINT")),
        ("DOUBLE", _matches(value, NUMBER, "DOUBLE")),
        ("BOOLEAN", f"lower({value}) IN {BOOLEAN_WORDS}"),
        ("DATE", date),
        ("TIMESTAMP", f"({date} OR {_matches(value, DATETIME, 'TIMESTAMP')})"),
    ]


def infer_types(con: Any, path: Path, columns: list[str]) -> dict[str, str]:
    """Pick, per text column, the narrowest DuckDB type that every non-null value converts to.

    One aggregate query over the staged Parquet; all-null and empty columns stay VARCHAR.
    """
    if not columns:
        return {}
    aggregates = []
    for column in columns:
        aggregates.append(f"count({ident(column)})")
        aggregates.extend(f"count(*) FILTER ({test})" for _, test in _tests(column))
    row = con.execute(
        f"SELECT {', '.join(aggregates)} FROM read_parquet({literal(path)})"
    ).fetchall()[0]
    kinds = [kind for kind, _ in _tests("")]
    width = 1 + len(kinds)
    types = {}
    for index, column in enumerate(columns):
        present, *hits = row[index * width : (index + 1) * width]
        passing = [kind for kind, count in zip(kinds, hits, strict=True) if count == present]
        types[column] = passing[0] if present and passing else "VARCHAR"
    return types


def cast_sql(column_sql: str, duck_type: str) -> str:
    """Convert a text column to ``duck_type``; text keeps its spaces, other types are trimmed."""
    if duck_type == "VARCHAR":
        return column_sql
    return f"CAST(trim({column_sql}) AS {duck_type})"
