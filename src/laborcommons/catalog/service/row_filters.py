"""The rows API's filter syntax: ``?column=value`` and ``?column__op=value``, as SQL.

One owner of what a filter means, so the rows API, the page's preview and its chart
facets agree. Text matches ignore case (``country=bd`` finds ``BD``); ``__contains`` finds
a part of the text; ``__gte``, ``__gt``, ``__lte``, ``__lt`` are ranges on numbers and
dates. A column whose own name ends in ``__gte`` is matched exactly, as before.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from laborcommons.catalog.models import DatasetVersion
from laborcommons.core import duck
from laborcommons.core.errors import BadRequest

RANGES = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}
OPERATORS = ("exact", "contains", *RANGES)
SEPARATOR = "__"
RANGE_TYPES = {"integer": "DOUBLE", "number": "DOUBLE", "date": "DATE", "datetime": "TIMESTAMP"}


def split_filter(key: str, names: set[str]) -> tuple[str, str]:
    """(column, operator) of a query parameter; an exact column name wins over a suffix."""
    if key in names or SEPARATOR not in key:
        return key, "exact"
    column, _, operator = key.rpartition(SEPARATOR)
    if column in names and operator not in OPERATORS:
        raise BadRequest(
            f"cannot filter on {column!r}: unknown operator {operator!r}",
            details={"column": column, "operator": operator, "operators": list(OPERATORS)},
        )
    return (column, operator) if column in names else (key, "exact")


def _bound(column: str, kind: str, value: str) -> Any:
    """A range's bound parsed for the column's type, or a 400 that names both."""
    try:
        if kind == "DOUBLE":
            number = float(value)
            if not math.isfinite(number):
                raise ValueError(value)
            return number
        if kind == "DATE":
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value)
    except ValueError:
        wanted = {"DOUBLE": "a number", "DATE": "a date (YYYY-MM-DD)"}.get(kind, "a date-time")
        raise BadRequest(
            f"cannot filter {column!r}: {value!r} is not {wanted}",
            details={"column": column, "value": value, "expected": wanted},
        ) from None


def _condition(column: str, operator: str, value: str, kind: str) -> tuple[str, Any]:
    quoted = duck.quote_identifier(column)
    text = f"CAST({quoted} AS VARCHAR)"
    if operator == "contains":
        return f"contains(lower({text}), lower(?))", value
    if operator == "exact":
        return (f"lower({text}) = lower(?)" if kind == "string" else f"{text} = ?"), value
    cast = RANGE_TYPES.get(kind)
    if cast is None:
        raise BadRequest(
            f"cannot filter {column!r} by a range: it is a {kind} column, not a number or date",
            details={"column": column, "type": kind, "operator": operator},
        )
    return f"TRY_CAST({quoted} AS {cast}) {RANGES[operator]} ?", _bound(column, cast, value)


def where_clause(version: DatasetVersion, filters: dict[str, str]) -> tuple[str, list[Any]]:
    """Filters on known columns only; the SQL and its parameters (a cache key's part)."""
    types = {c["name"]: c["type"] for c in version.columns}
    parts: list[str] = []
    params: list[Any] = []
    for key, value in sorted(filters.items()):
        column, operator = split_filter(key, set(types))
        if column not in types:
            raise BadRequest(
                f"cannot filter on {column!r}: version {version.number} has no such column",
                details={"column": column, "columns": sorted(types)},
            )
        sql, param = _condition(column, operator, value, types[column])
        parts.append(sql)
        params.append(param)
    return (" WHERE " + " AND ".join(parts)) if parts else "", params
