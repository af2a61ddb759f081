"""Row preview: pagination, equality filters and sort, run by DuckDB over the Parquet."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.schemas import RowsPage
from laborcommons.core import duck
from laborcommons.core.errors import BadRequest
from laborcommons.core.node import Node
from laborcommons.ingest.schemas import ColumnProfile

MAX_PAGE_SIZE = 1000


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def where_clause(version: DatasetVersion, filters: dict[str, str]) -> tuple[str, list[Any]]:
    """Equality filters on known columns only, compared as text so every type works."""
    names = {c["name"] for c in version.columns}
    parts: list[str] = []
    params: list[Any] = []
    for name, value in filters.items():
        if name not in names:
            raise BadRequest(
                f"cannot filter on {name!r}: version {version.number} has no such column",
                details={"column": name, "columns": sorted(names)},
            )
        parts.append(f"CAST({duck.quote_identifier(name)} AS VARCHAR) = ?")
        params.append(value)
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def query_rows(
    version: DatasetVersion,
    *,
    node: Node,
    filters: dict[str, str] | None = None,
    sort: str | None = None,
    descending: bool = False,
    page: int = 1,
    page_size: int = 50,
) -> RowsPage:
    """One page of rows; the caller has already decided the reader may read them."""
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise BadRequest(f"page must be >= 1 and page size between 1 and {MAX_PAGE_SIZE}")
    where, params = where_clause(version, filters or {})
    order = ""
    if sort:
        if sort not in {c["name"] for c in version.columns}:
            raise BadRequest(f"cannot sort on {sort!r}: no such column", details={"column": sort})
        direction = "DESC" if descending else "ASC"
        order = f" ORDER BY {duck.quote_identifier(sort)} {direction} NULLS LAST"
    source = duck.parquet_source(node.store.path_for(version.parquet_sha256))
    connection = duck.connect(threads=1, memory_limit="256MB")
    try:
        total = connection.execute(f"SELECT count(*) FROM {source}{where}", params).fetchone()
        window = f" LIMIT {page_size} OFFSET {(page - 1) * page_size}"
        cursor = connection.execute(f"SELECT * FROM {source}{where}{order}{window}", params)
        names = [d[0] for d in cursor.description]
        rows = [
            {n: _json_value(v) for n, v in zip(names, row, strict=True)}
            for row in cursor.fetchall()
        ]
    finally:
        connection.close()
    count = int(total[0]) if total else 0
    return RowsPage(
        columns=[ColumnProfile.model_validate(c) for c in version.columns],
        rows=rows,
        total=count,
        page=page,
        page_size=page_size,
    )
