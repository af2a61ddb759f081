"""The issue types an ingest can report, each documented under its name in docs/validation.md."""

from __future__ import annotations

from laborcommons.ingest.schemas import ValidationIssue, ValidationReport

ISSUE_TYPES: dict[str, str] = {
    "empty-file": "The file has no header (zero bytes, blank, or no records)",
    "blank-header": "A column with data has an empty header cell",
    "duplicate-header": "Two columns share a name (compared case-insensitively)",
    "extra-cell": "A row has more cells than the header",
    "missing-cell": "A row has fewer cells than the header",
    "csv-error": "The CSV cannot be parsed (unterminated quote, over-long line)",
    "too-many-columns": "The header is longer or has more columns than the limits allow",
    "encoding-error": "Bytes that are invalid in the detected encoding",
    "invalid-json": "The JSON or JSON Lines text is not well-formed",
    "json-not-records": "The JSON is well-formed but not an array of objects",
    "json-too-deep": "The JSON nests arrays or objects deeper than the limit",
    "invalid-xml": "The XML is not well-formed",
    "xml-forbidden": "The XML uses a DTD or entities, which are refused",
    "sheet-not-found": "The requested worksheet is not in the workbook",
    "table-not-found": "The requested PDF/HTML table or page is not in the file",
    "no-table": "The PDF or HTML file has no table to read",
    "pdf-no-text": "The PDF has no text layer (scanned), so its tables cannot be read",
    "encrypted-file": "The file is password-protected",
    "unreadable-file": "The file is corrupt or not what its extension says",
    "too-large": "The file declares more pages, rows or columns than the limits allow",
    "schema-field-missing": "A Table Schema field has no column in the file",
    "type-error": "A value does not convert to its Table Schema field type",
    "constraint-error": "A value breaks a Table Schema constraint",
    "primary-key-error": "A row's primaryKey fields are empty or repeat an earlier row's",
}


# Warnings: the file was read, but something in it was skipped, guessed or repaired; each
# is documented under its name in docs/validation.md, "Warnings".
WARNING_TYPES: dict[str, str] = {
    "skipped-lines": "Comment or title lines above the header were skipped",
    "stray-bytes": "A byte that is not UTF-8 in a UTF-8 file was read as Windows-1252",
    "encoding-guessed": "The file is not UTF-8; it was read in the legacy encoding named",
    "decimal-comma": "A column of numbers written with decimal commas or thousands separators",
    "day-first-dates": "A column of dd.mm.yyyy or dd/mm/yyyy dates was read as dates",
    "month-first-dates": "A column of mm/dd/yyyy dates was read as dates",
    "ambiguous-dates": "A column of dates that could be day-first or month-first stays text",
    "ambiguous-numbers": "A column of numbers that could have a decimal comma or point stays text",
}


def warn(
    report: ValidationReport,
    type_: str,
    message: str,
    *,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
) -> None:
    """Record a warning (the file stays valid), refusing unregistered types."""
    if type_ not in WARNING_TYPES:
        raise ValueError(f"unregistered warning type {type_!r}")
    if value is not None and len(value) > 200:
        value = value[:200] + "…"
    report.warn(ValidationIssue(type=type_, message=message, row=row, column=column, value=value))


def add(
    report: ValidationReport,
    type_: str,
    message: str,
    *,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
) -> None:
    """Record an issue, refusing unregistered types so every type stays documented."""
    if type_ not in ISSUE_TYPES:
        raise ValueError(f"unregistered issue type {type_!r}")
    if value is not None and len(value) > 200:
        value = value[:200] + "…"
    issue = ValidationIssue(type=type_, message=message, row=row, column=column, value=value)
    report.add(issue)


def count_unlisted(report: ValidationReport, count: int) -> None:
    """Count issues found in bulk (e.g. by a SQL count) beyond those listed one by one."""
    if count > 0:
        report.valid = False
        report.issue_count += count
