"""CSV (and TSV/TXT): DuckDB parses and types the file; Python only checks encoding and header.

The fast path is one ``read_csv`` query, with DuckDB's sniffer types, streamed into the
output Parquet. Integer columns are read as text and cast in the same query so that a late
leading-zero code ("01234") or a stray non-integer aborts the typed read instead of being
silently mangled; any such surprise falls back to an all-text read whose types are
inferred afterwards. Ragged rows come from DuckDB's reject table (strict mode).
"""

from __future__ import annotations

import csv as csvmodule
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from laborcommons.ingest import issues
from laborcommons.ingest.encoding import Encoding, detect_encoding, transcode
from laborcommons.ingest.headers import check_header
from laborcommons.ingest.inference import INTEGER
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
RAGGED = ("MISSING COLUMNS", "TOO MANY COLUMNS")
RAGGED_SQL = "('MISSING COLUMNS', 'TOO MANY COLUMNS')"
REJECTS_TYPED = "rejects_typed"  # DuckDB tables of rejected rows, one per read attempt
REJECTS_TEXT = "rejects_text"
ENCODING_ERRORS = ("INVALID UNICODE", "INVALID ENCODING")  # DuckDB 1.x, 2.x names
ENCODING_ERRORS_SQL = "('INVALID UNICODE', 'INVALID ENCODING')"
MAX_LINE_BYTES = 1 << 24  # DuckDB's default (2 MB) would refuse a wide file's long rows


class _Fallback(Exception):
    """The typed read met something its sniffed types cannot hold; re-read as text."""


class _NotUtf8(Exception):
    """DuckDB met invalid UTF-8 past the head the encoding was judged on: judge the whole file."""


@dataclass(frozen=True)
class _Text:
    path: Path  # UTF-8 text for DuckDB: the upload itself, or its transcoded copy
    dialect: Dialect
    sampled: bool  # encoding judged from the head only


def read_csv(req: ReadRequest) -> Staged | None:
    """Stage a CSV as Parquet, or report why it cannot be read (None)."""
    try:
        # Judging the encoding from the first MiB spares a pass over clean UTF-8 files;
        # DuckDB validates UTF-8 as it parses and sends us back here if it was wrong.
        return _read(req, detect_encoding(req.source, req.name, head_only=True), sampled=True)
    except _NotUtf8:
        req.report.warnings.clear()  # the second read says it all again
        req.report.warning_count = 0
        return _read(req, detect_encoding(req.source, req.name), sampled=False)


def _read(req: ReadRequest, encoding: Encoding, *, sampled: bool) -> Staged | None:
    path = req.source
    if not encoding.utf8:
        path = req.scratch / "utf8.csv"
        if not transcode(req.source, encoding.codec, path, req.report):
            return None
    dialect = sniff_dialect(path, req.name, req.report)
    if not req.report.valid:
        return None
    if dialect is None or not any(dialect.header):
        issues.add(req.report, "empty-file", f"{req.name} has no header row", row=1)
        return None
    row = dialect.header_line
    if not check_header(
        dialect.header, report=req.report, row=row, label=lambda i: f"column {i + 1}"
    ):
        return None
    _report_preamble(req, dialect)
    text = _Text(path, dialect, sampled=sampled and encoding.utf8)
    if not req.as_text:
        try:
            return _read_typed(req, text)
        except _Fallback:
            pass
    return _read_text(req, text)


def _report_preamble(req: ReadRequest, dialect: Dialect) -> None:
    """Say which lines above the header were skipped (blank ones go without a word)."""
    for skipped in dialect.skipped:
        if skipped.kind == "blank":
            continue
        what = "a comment line" if skipped.kind == "comment" else "a title line"
        message = (
            f"line {skipped.line} is {what} above the header (line {dialect.header_line}): skipped"
        )
        issues.warn(req.report, "skipped-lines", message, row=skipped.line, value=skipped.text)


def _options(text: Path, dialect: Dialect) -> str:
    names = "[" + ", ".join(literal(name) for name in dialect.header) + "]"
    return (
        f"{literal(text)}, header=true, delim={literal(dialect.delimiter)}, quote='\"', "
        f"escape='\"', strict_mode=true, skip={dialect.skip}, comment='', "
        f"allow_quoted_nulls=false, max_line_size={MAX_LINE_BYTES}, names={names}"
    )


def _read_typed(req: ReadRequest, text: _Text) -> Staged | None:
    dialect = text.dialect
    # Only ISO dates are the sniffer's to type: it would read "01.02.2024" day-first
    # without a word; local_values decides such columns, and says so.
    options = (
        f"{_options(text.path, dialect)}, auto_type_candidates={CANDIDATES}, dateformat='%Y-%m-%d'"
    )
    try:
        described = req.con.execute(
            f"DESCRIBE SELECT * FROM read_csv({options}, store_rejects=true)"
        ).fetchall()
    except duckdb.Error as error:
        raise _Fallback from error
    sniffed = {row[0]: row[1] for row in described}
    target = req.scratch / "typed.parquet"
    _drop_rejects(req, REJECTS_TYPED)
    try:
        write_parquet(req.con, _typed_query(options, dialect.header, sniffed), target)
    except (duckdb.Error, QueryFailed) as error:
        raise _Fallback from error
    structural, casts = _report_rejects(req, REJECTS_TYPED, text)
    if structural:
        return None
    if casts:
        raise _Fallback
    final = {name: kind if kind in KEPT_TYPES else "VARCHAR" for name, kind in sniffed.items()}
    columns = [StagedColumn(name, name, final[name]) for name in dialect.header]
    return Staged(
        target,
        columns,
        text=False,
        ready=True,
        header_row=dialect.header_line,
        first_row=dialect.header_line + 1,
    )


def _typed_query(options: str, header: list[str], sniffed: dict[str, str]) -> str:
    """SELECT over read_csv with the sniffed types, guarded where the sniffer can be fooled.

    The sniffer sees a sample only. Integer columns are read as text and cast here, so a
    value that is not spelled like its integer ("01234", "1.5", "0x10") raises and sends
    the file to the text path; DATE/TIMESTAMP columns reject DuckDB's "infinity".
    """
    integers = [name for name, kind in sniffed.items() if kind == "BIGINT"]
    odd = [name for name, kind in sniffed.items() if kind not in KEPT_TYPES]  # e.g. TIME: text
    overrides = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in integers + odd)
    spelled = literal(rf"\s*{INTEGER}\s*")
    select = []
    for name in header:
        column = ident(name)
        if name in integers:
            select.append(
                f"CASE WHEN {column} IS NULL THEN NULL WHEN regexp_full_match({column}, {spelled}) "
                f"THEN CAST({column} AS BIGINT) ELSE error('not an integer') END"
            )
        elif sniffed[name] in ("DATE", "TIMESTAMP"):
            select.append(f"CASE WHEN isinf({column}) THEN error('infinite') ELSE {column} END")
        else:
            select.append(column)
    source = (
        f"read_csv({options}, types={{{overrides}}}, store_rejects=true, "
        f"rejects_table='{REJECTS_TYPED}', rejects_scan='{REJECTS_TYPED}_scan')"
    )
    columns = ", ".join(
        f"{expression} AS {ident(name)}" for expression, name in zip(select, header, strict=True)
    )
    return f"SELECT {columns} FROM {source}"


def _read_text(req: ReadRequest, text: _Text) -> Staged | None:
    dialect = text.dialect
    source = (
        f"read_csv({_options(text.path, dialect)}, all_varchar=true, store_rejects=true, "
        f"rejects_table='{REJECTS_TEXT}', rejects_scan='{REJECTS_TEXT}_scan')"
    )
    target = req.scratch / "text.parquet"
    _drop_rejects(req, REJECTS_TEXT)
    try:
        stage_parquet(req.con, f"SELECT * FROM {source}", target)
    except duckdb.Error as error:
        if text.sampled and "unicode" in str(error).lower():
            raise _NotUtf8 from error
        if not diagnose(text.path, dialect, req.report):
            issues.add(req.report, "csv-error", f"{req.name}: {first_line(error)}")
        return None
    structural, _ = _report_rejects(req, REJECTS_TEXT, text)
    if structural:
        return None
    columns = [StagedColumn(name, name, None) for name in dialect.header]
    # The header and the first record sit below any skipped comment or title lines.
    return Staged(
        target, columns, header_row=dialect.header_line, first_row=dialect.header_line + 1
    )


def _cell_count(csv_line: str | None, dialect: Dialect, kind: str, message: str) -> int:
    """The row's real number of cells, from its text (DuckDB's message counts up to the
    first cell it could not place, so a row two cells too long says "found 4")."""
    if csv_line:
        try:
            return len(next(csvmodule.reader([csv_line], delimiter=dialect.delimiter)))
        except (csvmodule.Error, StopIteration):
            pass
    found = FOUND.search(message)
    return int(found.group(1)) if found else (0 if kind == RAGGED[0] else len(dialect.header) + 1)


def _drop_rejects(req: ReadRequest, table: str) -> None:
    """DuckDB appends to an existing reject table, so a retry must start from none."""
    req.con.execute(f"DROP TABLE IF EXISTS {table}").fetchall()
    req.con.execute(f"DROP TABLE IF EXISTS {table}_scan").fetchall()


def _report_rejects(req: ReadRequest, table: str, text: _Text) -> tuple[int, int]:
    """Turn DuckDB's reject table into issues; returns (structural errors, cast errors)."""
    con: Any = req.con
    dialect = text.dialect
    # DuckDB rejects a row once per extra cell; the report names each ragged row once.
    structural, casts, unicode = con.execute(
        f"SELECT count(DISTINCT CASE WHEN error_type IN {RAGGED_SQL} THEN 'r' || line "
        f"WHEN error_type <> 'CAST' THEN 'e' || line || '/' || column_idx END), "
        f"count(*) FILTER (error_type = 'CAST'), "
        f"count(*) FILTER (error_type IN {ENCODING_ERRORS_SQL}) FROM {table}"
    ).fetchall()[0]
    if unicode and text.sampled:
        raise _NotUtf8
    rows = con.execute(
        f"SELECT line, error_type, csv_line, error_message FROM {table} "
        f"WHERE error_type <> 'CAST' ORDER BY line, column_idx LIMIT 1000"
    ).fetchall()
    width = len(dialect.header)
    listed = 0
    ragged_lines: set[int] = set()
    for line, kind, csv_line, message in rows:
        if kind in RAGGED:
            if line in ragged_lines:
                continue
            ragged_lines.add(line)
            ragged(
                req.report,
                line,
                _cell_count(csv_line, dialect, kind, message),
                width,
                dialect.header,
            )
        elif kind in ENCODING_ERRORS:
            issues.add(req.report, "encoding-error", f"row {line}: invalid UTF-8", row=line)
        else:
            issues.add(req.report, "csv-error", f"row {line}: {message}", row=line, value=csv_line)
        listed += 1
    issues.count_unlisted(req.report, structural - listed)
    return int(structural), int(casts)
