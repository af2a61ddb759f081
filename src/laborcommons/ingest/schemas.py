"""What an ingest produces: a column profile per column and a validation report.

Bad data is a result, not an exception (after frictionless): every problem found in a
file is a ``ValidationIssue`` with a kebab-case ``type`` and a location, and every
surface (API 422 body, CLI output, web page) renders the same ``ValidationReport``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

ColumnType = Literal["integer", "number", "boolean", "date", "datetime", "string"]


class ValidationIssue(BaseModel):
    type: str = Field(description="kebab-case issue type, documented in docs/validation.md")
    message: str
    file: str | None = None
    row: int | None = Field(default=None, description="1-based row number in the file")
    column: str | None = None
    value: str | None = None


class TableFound(BaseModel):
    """A table found in a PDF or HTML file, listed so the reader can choose another."""

    index: int = Field(description="1-based, in document order (--table N)")
    page: int | None = Field(default=None, description="first page (PDF)")
    last_page: int | None = Field(default=None, description="last page of a joined table")
    id: str | None = Field(default=None, description="the table element's id (HTML)")
    rows: int
    columns: int


class ValidationReport(BaseModel):
    file: str
    format: str | None = None
    valid: bool = True
    issues: list[ValidationIssue] = Field(default_factory=list)
    issue_count: int = Field(default=0, description="all issues, even those not listed")
    tables: list[TableFound] = Field(
        default_factory=list, description="every table found (PDF and HTML files)"
    )

    def add(self, issue: ValidationIssue, *, keep_at_most: int = 1000) -> None:
        """Record an issue; the list keeps the first ``keep_at_most``, the count keeps all."""
        self.valid = False
        self.issue_count += 1
        if issue.file is None:
            issue.file = self.file
        if len(self.issues) < keep_at_most:
            self.issues.append(issue)

    warnings: list[ValidationIssue] = Field(
        default_factory=list,
        description="what was skipped, guessed or repaired while reading (the file is valid)",
    )
    warning_count: int = Field(default=0, description="all warnings, even those not listed")

    def warn(self, warning: ValidationIssue, *, keep_at_most: int = 200) -> None:
        """Record a warning: it does not make the file invalid, it says what was interpreted."""
        self.warning_count += 1
        if warning.file is None:
            warning.file = self.file
        if len(self.warnings) < keep_at_most:
            self.warnings.append(warning)


class ColumnStats(BaseModel):
    count: int = Field(description="non-null values")
    nulls: int
    distinct: int | None = None
    min: Any = None
    max: Any = None
    mean: float | None = None


class ColumnProfile(BaseModel):
    name: str
    type: ColumnType
    stats: ColumnStats | None = None


class IngestResult(BaseModel):
    """Outcome of reading one file; ``parquet_path`` exists only when the report is valid."""

    report: ValidationReport
    format: str
    row_count: int = 0
    columns: list[ColumnProfile] = Field(default_factory=list)
    sheet: str | None = None
    primary_key: list[str] = Field(
        default_factory=list, description="the Table Schema's primaryKey, checked on every row"
    )
