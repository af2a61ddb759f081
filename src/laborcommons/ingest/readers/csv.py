"""CSV (and TSV/TXT): DuckDB parses and types the file; Python only checks encoding and header.

The fast path is one ``read_csv`` → Parquet COPY with DuckDB's sniffer types. Integer
columns are read as text and cast in the same query so that a late leading-zero code
("01234") or a stray non-integer aborts the typed read instead of being silently mangled;
any such surprise falls back to an all-text read whose types are inferred afterwards.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import duckdb

from laborcommons.ingest import issues
from laborcommons.ingest.encoding import detect_encoding, transcode
from laborcommons.ingest.headers import check_header
from laborcommons.ingest.readers.base import ReadRequest, Staged, StagedColumn
from laborcommons.ingest.readers.csv_dialect import Dialect, diagnose, ragged, sniff_dialect
from laborcommons.ingest.sql import (
    QueryFailed,
    first_line,
    ident,
    literal,
    stage_parquet,
    write_parquet,
)

KEPT_TYPES = {"BIGINT", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP", "VARCHAR"}
CANDIDATES = "['BOOLEAN', 'BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'VARCHAR']"
FOUND = re.compile(r"Found: (\d+)")
_reads = itertools.count()


class _Fallback(Exception):
    """The typed read met something its sniffed types cannot hold; re-read as text."""


def read_csv(req: ReadRequest) -> Staged | None:
    """Stage a CSV as Parquet, or report why it cannot be read (None)."""
    encoding = detect_encoding(req.source, req.name)
    text = req.source
    if not encoding.utf8:
        text = req.scratch / "utf8.csv"
        if not transcode(req.source, encoding.codec, text, req.report):
            return None
    dialect = sniff_dialect(text, req.name)
    if dialect is None or not any(dialect.header):
        issues.add(req.report, "empty-file", f"{req.name} has no header row", row=1)
        return None
    if not check_header(
        dialect.header, report=req.report, row=1, label=lambda i: f"column {i + 1}"
    ):
        return None
    if not req.as_text:
        try:
            return _read_typed(req, text, dialect)
        except _Fallback:
            pass
    return _read_text(req, text, dialect)


def _options(text: Path, dialect: Dialect) -> str:
    names = "[" + ", ".join(literal(name) for name in dialect.header) + "]"
    return (
        f"{literal(text)}, header=true, delim={literal(dialect.delimiter)}, quote='\"', "
        f"escape='\"', strict_mode=true, skip=0, comment='', allow_quoted_nulls=false, "
        f"names={names}"
    )


def _read_typed(req: ReadRequest, text: Path, dialect: Dialect) -> Staged | None:
    options = f"{_options(text, dialect)}, auto_type_candidates={CANDIDATES}"
    try:
        described = req.con.execute(
            f"DESCRIBE SELECT * FROM read_csv({options}, store_rejects=true)"
        ).fetchall()
    except duckdb.Error as error:
        raise _Fallback from error
    sniffed = {row[0]: row[1] for row in described}
    integers = [name for name, kind in sniffed.items() if kind == "BIGINT"]
    final = {name: kind if kind in KEPT_TYPES else "VARCHAR" for name, kind in sniffed.items()}
    retyped = [name for name, kind in sniffed.items() if kind not in KEPT_TYPES - {"BIGINT"}]
    overrides = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in retyped)
    # The sniffer saw only a sample: re-check every integer against its canonical spelling.
    trial = ", ".join(
        f"TRY_CAST(trim({ident(name)}) AS BIGINT) AS __int{i}" for i, name in enumerate(integers)
    )
    select = []
    for name in dialect.header:
        if name in integers:
            probe, column = f"__int{integers.index(name)}", ident(name)
            select.append(
                f"CASE WHEN {column} IS NULL OR CAST({probe} AS VARCHAR) = trim({column}) "
                f"THEN {probe} ELSE error('not a canonical integer') END AS {column}"
            )
        elif sniffed[name] in ("DATE", "TIMESTAMP"):
            # DuckDB reads "infinity" as a date; a column of words is not a date column.
            column = ident(name)
            guard = f"CASE WHEN isinf({column}) THEN error('infinite date') ELSE {column} END"
            select.append(f"{guard} AS {column}")
        else:
            select.append(ident(name))
    table = f"rejects_{next(_reads)}"
    source = (
        f"read_csv({options}, types={{{overrides}}}, store_rejects=true, "
        f"rejects_table={literal(table)}, rejects_scan={literal(table + '_scan')})"
    )
    inner = f"SELECT *{', ' + trial if trial else ''} FROM {source}"
    target = req.scratch / "typed.parquet"
    try:
        write_parquet(req.con, f"SELECT {', '.join(select)} FROM ({inner})", target)
    except (duckdb.Error, QueryFailed) as error:
        raise _Fallback from error
    structural, casts = _report_rejects(req, table, dialect)
    if structural:
        return None
    if casts:
        raise _Fallback
    columns = [StagedColumn(name, name, final[name]) for name in dialect.header]
    return Staged(target, columns, text=False, ready=True)


def _read_text(req: ReadRequest, text: Path, dialect: Dialect) -> Staged | None:
    table = f"rejects_{next(_reads)}"
    source = (
        f"read_csv({_options(text, dialect)}, all_varchar=true, store_rejects=true, "
        f"rejects_table={literal(table)}, rejects_scan={literal(table + '_scan')})"
    )
    target = req.scratch / "text.parquet"
    try:
        stage_parquet(req.con, f"SELECT * FROM {source}", target)
    except duckdb.Error as error:
        if not diagnose(text, dialect, req.report):
            issues.add(req.report, "csv-error", f"{req.name}: {first_line(error)}")
        return None
    structural, _ = _report_rejects(req, table, dialect)
    if structural:
        return None
    return Staged(target, [StagedColumn(name, name, None) for name in dialect.header])


def _report_rejects(req: ReadRequest, table: str, dialect: Dialect) -> tuple[int, int]:
    """Turn DuckDB's reject table into issues; returns (structural errors, cast errors)."""
    con: Any = req.con
    structural, casts = con.execute(
        f"SELECT count(*) FILTER (error_type <> 'CAST'), count(*) FILTER (error_type = 'CAST') "
        f"FROM {table}"
    ).fetchall()[0]
    rows = con.execute(
        f"SELECT line, error_type, csv_line, error_message FROM {table} "
        f"WHERE error_type <> 'CAST' ORDER BY line, column_idx LIMIT 1000"
    ).fetchall()
    width = len(dialect.header)
    for line, kind, csv_line, message in rows:
        if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            found = FOUND.search(message)
            count = (
                int(found.group(1)) if found else (0 if kind == "MISSING COLUMNS" else width + 1)
            )
            ragged(req.report, line, count, width, dialect.header)
        elif kind == "INVALID UNICODE":
            issues.add(req.report, "encoding-error", f"row {line}: invalid UTF-8", row=line)
        else:
            issues.add(req.report, "csv-error", f"row {line}: {message}", row=line, value=csv_line)
    issues.count_unlisted(req.report, structural - len(rows))
    return int(structural), int(casts)
