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
    "encoding-error": "Bytes that are invalid in the detected encoding",
    "invalid-json": "The JSON or JSON Lines text is not well-formed",
    "json-not-records": "The JSON is well-formed but not an array of objects",
    "invalid-xml": "The XML is not well-formed",
    "xml-forbidden": "The XML uses a DTD or entities, which are refused",
    "sheet-not-found": "The requested worksheet is not in the workbook",
    "schema-field-missing": "A Table Schema field has no column in the file",
    "type-error": "A value does not convert to its Table Schema field type",
    "constraint-error": "A value breaks a Table Schema constraint",
}


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
