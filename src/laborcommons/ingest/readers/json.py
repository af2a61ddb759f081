"""JSON (one array of objects) and JSON Lines, streamed and typed by DuckDB's read_json.

Nested objects and arrays become JSON text (string columns); a field whose values mix
types becomes text too. Rows are record positions: the first object is row 1.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb

from laborcommons.ingest import issues
from laborcommons.ingest.encoding import detect_encoding, transcode
from laborcommons.ingest.headers import check_header
from laborcommons.ingest.readers.base import ReadRequest, Staged, StagedColumn
from laborcommons.ingest.sql import QueryFailed, first_line, ident, literal, write_parquet

# Integers past 64 bits (HUGEINT) become text rather than inexact numbers.
PLAIN = {"BIGINT", "UBIGINT", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP", "VARCHAR"}
WHERE = re.compile(r"(?:line|record/value) (\d+)")
PYTHON_CHECK_LIMIT = 64 * 1024 * 1024  # exact error lines from Python's json for files this size


def read_json(req: ReadRequest) -> Staged | None:
    """Stage a JSON array of objects."""
    return _read(req, "array")


def read_json_lines(req: ReadRequest) -> Staged | None:
    """Stage JSON Lines: one object per line."""
    return _read(req, "newline_delimited")


def _read(req: ReadRequest, layout: str) -> Staged | None:
    encoding = detect_encoding(req.source, req.name)
    text = req.source
    if not encoding.utf8:
        text = req.scratch / "utf8.json"
        if not transcode(req.source, encoding.codec, text, req.report):
            return None
    if not _check_shape(req, text, layout):
        return None
    source = (
        f"read_json({literal(text)}, format='{layout}', records=true, "
        f"maximum_depth=2, sample_size=-1)"
    )
    target = req.scratch / "json.parquet"
    try:
        described = req.con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        names = [row[0] for row in described]
        if not check_header(names, report=req.report, row=None, label=lambda i: names[i]):
            return None
        select = ", ".join(f"{_plain(name, kind)} AS {ident(name)}" for name, kind, *_ in described)
        write_parquet(req.con, f"SELECT {select} FROM {source}", target)
    except (duckdb.Error, QueryFailed) as error:
        _report_error(req, text, layout, error)
        return None
    columns = [StagedColumn(name, name, None) for name in names]
    return Staged(target, columns, text=False, ready=True, first_row=1, header_row=None)


def _plain(name: str, kind: str) -> str:
    """SQL giving a column a Parquet-friendly type: nested values as JSON text."""
    column = ident(name)
    if kind in PLAIN:
        return column
    if kind == "JSON":
        return f"({column} ->> '$')"
    if kind.startswith(("STRUCT", "MAP")) or kind.endswith("]"):
        return f"CAST(to_json({column}) AS VARCHAR)"
    return f"CAST({column} AS VARCHAR)"


def _check_shape(req: ReadRequest, text: Path, layout: str) -> bool:
    """Catch empty files and non-record JSON from the first characters, before DuckDB does."""
    with text.open(encoding="utf-8-sig") as stream:
        head = stream.read(4096).lstrip()
    if not head:
        issues.add(req.report, "empty-file", f"{req.name} has no JSON content", row=1)
        return False
    if layout == "array":
        if head[0] != "[":
            message = f"{req.name}: expected a JSON array of objects, found {head[0]!r} first"
            issues.add(req.report, "json-not-records", message, row=1)
            return False
        if head[1:].lstrip().startswith("]"):
            issues.add(req.report, "empty-file", f"{req.name} is an empty JSON array", row=1)
            return False
    elif head[0] != "{":
        message = f"{req.name}: each line must be a JSON object, found {head[0]!r} first"
        issues.add(req.report, "json-not-records", message, row=1)
        return False
    return True


def _report_error(req: ReadRequest, text: Path, layout: str, error: Exception) -> None:
    """Explain a DuckDB read failure, locating syntax errors by line where Python can."""
    detail = first_line(error)
    if "non-record" in str(error) or "expected records" in str(error):
        message = f"{req.name}: every item must be a JSON object ({detail})"
        issues.add(req.report, "json-not-records", message)
        return
    if "recursion depth" in str(error):  # DuckDB's limit; Python's parser would crash too
        message = f"{req.name}: the JSON nests deeper than the limit ({detail})"
        issues.add(req.report, "json-too-deep", message)
        return
    located = _python_location(text, layout)
    if located is not None:
        row, message = located
        issues.add(req.report, "invalid-json", f"{req.name} line {row}: {message}", row=row)
        return
    found = WHERE.search(detail)
    where = int(found.group(1)) if found else None
    issues.add(req.report, "invalid-json", f"{req.name}: {detail}", row=where)


def _python_location(text: Path, layout: str) -> tuple[int, str] | None:
    """(line, message) of the first syntax error per Python's json module, if it finds one."""
    if layout == "newline_delimited":
        with text.open(encoding="utf-8-sig") as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    json.loads(line)
                except json.JSONDecodeError as error:
                    return number, f"{error.msg} (column {error.colno})"
                except RecursionError:
                    return number, "the JSON nests deeper than Python can check"
        return None
    if text.stat().st_size > PYTHON_CHECK_LIMIT:
        return None
    try:
        json.loads(text.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as error:
        return error.lineno, f"{error.msg} (column {error.colno})"
    except RecursionError:
        return None
    return None
