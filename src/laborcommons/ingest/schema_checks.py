"""Check staged values against a Table Schema in DuckDB, one query per field and rule.

Each query lists at most 1000 failing rows (with their file row numbers) and counts all of
them, so a million bad values cost one scan, not a million Python objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from laborcommons.ingest import issues
from laborcommons.ingest.primary_key import check_primary_key
from laborcommons.ingest.readers.base import Staged
from laborcommons.ingest.schemas import ValidationReport
from laborcommons.ingest.sql import ident, literal
from laborcommons.ingest.table_schema import (
    SchemaField,
    TableSchema,
    as_text,
    convert_sql,
    missing_sql,
)

LIMIT = 1000
UNIQUE = "unique"  # marker condition: needs a window query, not a WHERE clause


class Rule(NamedTuple):
    issue: str  # issue type
    condition: str  # SQL that is true for failing rows
    expected: str  # what the rule wants, for the message


class Failure(NamedTuple):
    row: int
    issue: str
    column: str
    message: str
    value: str | None


def validate_against_schema(
    con: Any, staged: Staged, schema: TableSchema, report: ValidationReport
) -> dict[str, str]:
    """Report missing fields, type, constraint and primary key errors; return output SQL per
    schema column."""
    sources = {column.name: column.source for column in staged.columns}
    outputs: dict[str, str] = {}
    typed_fields: dict[str, tuple[str, str]] = {}
    failures: list[Failure] = []
    for field in schema.fields:
        if field.name not in sources:
            names = ", ".join(repr(name) for name in sources)
            message = f"schema field {field.name!r} is not a column of the file ({names})"
            issues.add(
                report,
                "schema-field-missing",
                message,
                row=staged.header_row,
                column=field.name,
            )
            continue
        raw = missing_sql(schema, f"CAST({ident(sources[field.name])} AS VARCHAR)")
        typed = convert_sql(field, raw)
        typed_fields[field.name] = (raw, typed)
        if field.duck_type is not None:
            outputs[field.name] = typed
        for rule in rules_for(field, raw, typed):
            failures += _failures(con, staged, report, field.name, rule, raw, typed)
    position = {field.name: index for index, field in enumerate(schema.fields)}
    _report(report, sorted(failures, key=lambda item: (item.row, position[item.column])))
    if schema.primary_key and all(name in typed_fields for name in schema.primary_key):
        check_primary_key(con, staged, schema.primary_key, typed_fields, report)
    return outputs


def check_allowed_values(
    con: Any, staged: Staged, allowed: Mapping[str, Sequence[str]], report: ValidationReport
) -> None:
    """The data dictionary's declared allowed values, checked like a Table Schema ``enum``
    on the cells as written. A declared column the file no longer has is not an error: a
    version may drop a column."""
    sources = {column.name: column.source for column in staged.columns}
    failures: list[Failure] = []
    for name, values in allowed.items():
        if name not in sources or not values:
            continue
        raw = f"NULLIF(trim(CAST({ident(sources[name])} AS VARCHAR)), '')"
        options = ", ".join(literal(value) for value in values)
        expected = f"one of the data dictionary's allowed values ({', '.join(values)})"
        rule = Rule("constraint-error", f"{raw} NOT IN ({options})", expected)
        failures += _failures(con, staged, report, name, rule, raw, raw)
    _report(report, sorted(failures, key=lambda item: (item.row, item.column)))


def _report(report: ValidationReport, failures: list[Failure]) -> None:
    for failure in failures:
        issues.add(
            report,
            failure.issue,
            failure.message,
            row=failure.row,
            column=failure.column,
            value=failure.value,
        )


def rules_for(field: SchemaField, raw: str, typed: str) -> list[Rule]:
    """The type rule and constraint rules of one field."""
    rules = []
    if field.type not in ("string", "any"):
        custom = field.format not in ("default", "any")
        wanted = f"{field.type} ({field.format})" if custom else field.type
        rules.append(Rule("type-error", f"{raw} IS NOT NULL AND {typed} IS NULL", f"type {wanted}"))
    limits = field.constraints
    if limits.required:
        rules.append(Rule("constraint-error", f"{raw} IS NULL", "a value (required)"))
    if limits.enum is not None:
        options = ", ".join(convert_sql(field, literal(as_text(item))) for item in limits.enum)
        allowed = ", ".join(as_text(item) for item in limits.enum)
        rules.append(Rule("constraint-error", f"{typed} NOT IN ({options})", f"one of {allowed}"))
    for bound, operator, word in (
        (limits.minimum, "<", "at least"),
        (limits.maximum, ">", "at most"),
    ):
        if bound is not None:
            edge = convert_sql(field, literal(as_text(bound)))
            rules.append(Rule("constraint-error", f"{typed} {operator} {edge}", f"{word} {bound}"))
    if limits.pattern is not None:
        condition = f"NOT regexp_full_match({raw}, {literal(limits.pattern)})"
        rules.append(Rule("constraint-error", condition, f"a match for {limits.pattern!r}"))
    if limits.min_length is not None:
        condition = f"length({raw}) < {limits.min_length}"
        rules.append(Rule("constraint-error", condition, f"{limits.min_length}+ characters"))
    if limits.max_length is not None:
        condition = f"length({raw}) > {limits.max_length}"
        rules.append(Rule("constraint-error", condition, f"at most {limits.max_length} characters"))
    if limits.unique:
        rules.append(Rule("constraint-error", UNIQUE, "a value no earlier row has (unique)"))
    return rules


def _failures(
    con: Any,
    staged: Staged,
    report: ValidationReport,
    name: str,
    rule: Rule,
    raw: str,
    typed: str,
) -> list[Failure]:
    """Run one rule; list up to LIMIT failing rows and count the rest as unlisted issues."""
    source = f"read_parquet({literal(staged.path)}, file_row_number=true)"
    row = staged.row_sql()
    if rule.condition == UNIQUE:
        nth = f"row_number() OVER (PARTITION BY {typed} ORDER BY {row})"
        inner = (
            f"SELECT {row} AS row_, {raw} AS value_, {typed} AS typed_, {nth} AS nth_ FROM {source}"
        )
        query = f"SELECT row_, value_, count(*) OVER () FROM ({inner}) "
        query += "WHERE typed_ IS NOT NULL AND nth_ > 1"
    else:
        query = f"SELECT {row} AS row_, {raw} AS value_, count(*) OVER () FROM {source} "
        query += f"WHERE {rule.condition}"
    rows = con.execute(f"{query} ORDER BY row_ LIMIT {LIMIT}").fetchall()
    if rows:
        issues.count_unlisted(report, int(rows[0][2]) - len(rows))
    failures = []
    for number, value, _ in rows:
        shown = "empty" if value is None else repr(value)
        message = f"row {number}, column {name!r}: {shown}, expected {rule.expected}"
        failures.append(Failure(int(number), rule.issue, name, message, value))
    return failures
