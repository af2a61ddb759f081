"""Read one uploaded file into normalized Parquet plus a validation report and column profile."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from laborcommons.ingest import issues
from laborcommons.ingest.formats import (
    ZIP_FORMATS,
    check_options,
    check_xlsx_archive,
    detect_format,
)
from laborcommons.ingest.inference import cast_sql, infer_types
from laborcommons.ingest.local_values import read_local_values
from laborcommons.ingest.profile import profile
from laborcommons.ingest.readers import READERS
from laborcommons.ingest.readers.base import ReadRequest, Staged
from laborcommons.ingest.schema_checks import check_allowed_values, validate_against_schema
from laborcommons.ingest.schemas import IngestResult, ValidationReport
from laborcommons.ingest.sql import connect, ident, literal, write_parquet
from laborcommons.ingest.table_schema import TableSchema, parse_table_schema


def read_to_parquet(
    source: Path,
    *,
    original_name: str,
    out_path: Path,
    sheet: str | None = None,
    page: int | None = None,
    table: str | None = None,
    table_schema: dict[str, Any] | None = None,
    allowed_values: Mapping[str, Sequence[str]] | None = None,
    max_uncompressed_bytes: int = 2 * 1024**3,
    tmp_dir: Path | None = None,
) -> IngestResult:
    """Write ``source`` as zstd Parquet at ``out_path`` when valid; otherwise report why.

    Raises UnsupportedMediaType (415) for files that are not what their name says,
    PayloadTooLarge (413) for workbooks that would inflate past the limit, and
    InvalidInput (422) for a malformed ``table_schema`` or an option (``sheet``, ``page``,
    ``table``) the format has no use for. ``allowed_values`` (column → values, the data
    dictionary's declared ones) are checked like a schema ``enum``. Every problem inside a readable
    file is an issue in ``result.report`` instead, and then ``out_path`` does not exist.
    """
    fmt = detect_format(original_name)
    check_options(fmt, original_name, {"sheet": sheet, "page": page, "table": table})
    schema = parse_table_schema(table_schema) if table_schema is not None else None
    report = ValidationReport(file=original_name, format=fmt)
    result = IngestResult(report=report, format=fmt)
    if schema is not None:
        result.primary_key = schema.primary_key
    written = False
    try:
        if source.stat().st_size == 0:
            issues.add(report, "empty-file", f"{original_name} is empty (0 bytes)", row=1)
            return result
        if fmt in ZIP_FORMATS:
            check_xlsx_archive(source, original_name, max_uncompressed_bytes)
        scratch = Path(tempfile.mkdtemp(prefix=".ingest-", dir=tmp_dir or out_path.parent))
        try:
            with closing(connect(scratch)) as con:
                request = ReadRequest(
                    source,
                    original_name,
                    scratch,
                    con,
                    report,
                    sheet=sheet,
                    page=page,
                    table=table,
                    as_text=schema is not None,
                )
                written = _ingest(request, result, schema, out_path, allowed_values or {})
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    finally:
        if not written:
            out_path.unlink(missing_ok=True)
    return result


def _ingest(
    request: ReadRequest,
    result: IngestResult,
    schema: TableSchema | None,
    out_path: Path,
    allowed_values: Mapping[str, Sequence[str]],
) -> bool:
    """Stage, validate, type and profile; returns whether ``out_path`` was written."""
    staged = READERS[result.format](request)
    if staged is None or not result.report.valid:
        return False
    result.sheet = staged.sheet
    checked: dict[str, str] = {}
    if schema is not None:
        checked = validate_against_schema(request.con, staged, schema, result.report)
        if not result.report.valid:
            return False
    if allowed_values:
        check_allowed_values(request.con, staged, allowed_values, result.report)
        if not result.report.valid:
            return False
    final = _finish(request.con, staged, checked, request.scratch / "final.parquet", result.report)
    result.row_count, result.columns = profile(request.con, final)
    # A rename when scratch shares out_path's filesystem: nobody sees a half-written file.
    shutil.move(final, out_path)
    return True


def _finish(
    con: Any, staged: Staged, checked: dict[str, str], target: Path, report: ValidationReport
) -> Path:
    """Give every column its output name and type; schema fields take the schema's type.

    Columns left as text are offered to ``local_values`` (decimal commas, dd.mm.yyyy dates),
    which reads them only when the whole column is unambiguous and says so in ``report``.
    """
    untyped = [
        column.source
        for column in staged.columns
        if staged.text and column.type is None and column.name not in checked
    ]
    inferred = infer_types(con, staged.path, untyped)
    text = {
        column.source: column.name
        for column in staged.columns
        if column.name not in checked and (column.type or inferred.get(column.source)) == "VARCHAR"
    }
    local = read_local_values(con, staged.path, text, report)
    if staged.ready and not checked and not local:
        return staged.path
    select = []
    for column in staged.columns:
        if column.name in checked:
            expression = checked[column.name]
        elif column.source in local:
            expression = local[column.source].expression
        elif staged.text:
            kind = column.type or inferred[column.source]
            expression = cast_sql(ident(column.source), kind)
        else:
            expression = ident(column.source)
        select.append(f"{expression} AS {ident(column.name)}")
    query = f"SELECT {', '.join(select)} FROM read_parquet({literal(staged.path)})"
    write_parquet(con, query, target)
    return target
