"""Row preview: pagination, filters (row_filters) and sort, run by DuckDB over the Parquet."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Sequence
from typing import Any

from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.schemas import RowsPage
from laborcommons.catalog.service.encryption import parquet_source
from laborcommons.catalog.service.row_columns import RowColumns, absent_values, row_values
from laborcommons.catalog.service.row_filters import where_clause
from laborcommons.core import duck
from laborcommons.core.errors import BadRequest
from laborcommons.core.node import Node
from laborcommons.ingest.schemas import ColumnProfile

MAX_PAGE_SIZE = 1000
MAX_PAGE = 1_000_000
ROW_NUMBER = duck.FILE_ROW_NUMBER


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def query_rows(
    version: DatasetVersion,
    *,
    node: Node,
    filters: dict[str, str] | None = None,
    sort: str | None = None,
    descending: bool = False,
    page: int = 1,
    page_size: int = 50,
    added: Callable[[Sequence[int]], RowColumns] | None = None,
) -> RowsPage:
    """One page of rows; the caller has already decided the reader may read them.

    Versions never change, so a page is cached by its inputs (after the access decision,
    which the caller made); ties in a sort are broken by file order, so pages are stable.
    ``added`` gives, for the page's 1-based row numbers, columns another domain shows this
    reader (``row_columns``): they are added to each row after the cache, never cached.
    """
    if not 1 <= page <= MAX_PAGE or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise BadRequest(
            f"page must be between 1 and {MAX_PAGE}, page size between 1 and {MAX_PAGE_SIZE}"
        )
    where, params = where_clause(version, filters or {})
    if sort and sort not in {c["name"] for c in version.columns}:
        raise BadRequest(f"cannot sort on {sort!r}: no such column", details={"column": sort})
    key = (version.parquet_sha256, where, tuple(params), sort, descending, page, page_size)
    cached = node.row_pages.get(key)
    if cached is None:
        cached = _fetch_page(version, node, where, params, sort, descending, page, page_size)
        node.row_pages.put(key, cached)
    rows = cached[1]
    if added is not None:
        rows = _with_added(version, rows, cached[2], added)
    return RowsPage(
        columns=[ColumnProfile.model_validate(c) for c in version.columns],
        rows=rows,
        total=cached[0],
        page=page,
        page_size=page_size,
    )


def _with_added(
    version: DatasetVersion,
    rows: list[dict[str, Any]],
    numbers: list[int],
    added: Callable[[Sequence[int]], RowColumns],
) -> list[dict[str, Any]]:
    """New row dicts (the cached ones stay as they are) with the added values."""
    if len(numbers) != len(rows):  # a data column hides the row numbers
        raise BadRequest(f"version {version.number} has a column named {ROW_NUMBER!r}")
    columns = added([n + 1 for n in numbers])
    values, empty = row_values(columns, version), absent_values(columns, version)
    return [{**row, **values.get(n + 1, empty)} for row, n in zip(rows, numbers, strict=True)]


def _fetch_page(
    version: DatasetVersion,
    node: Node,
    where: str,
    params: list[Any],
    sort: str | None,
    descending: bool,
    page: int,
    page_size: int,
) -> tuple[int, list[dict[str, Any]], list[int]]:
    """(matching rows, the page's rows, their 0-based file row numbers: none when a data
    column hides them)."""
    offset = (page - 1) * page_size
    shadowed = ROW_NUMBER in {c["name"] for c in version.columns}  # a data column shadows ours
    order = "" if shadowed else f" ORDER BY {ROW_NUMBER}"
    if sort:
        direction = "DESC" if descending else "ASC"
        tiebreak = f", {ROW_NUMBER}" if order else ""
        order = f" ORDER BY {duck.quote_identifier(sort)} {direction} NULLS LAST{tiebreak}"
    connection = node.duck_cursor()
    try:  # a sealed version is decrypted in memory, registered on this cursor only
        row_number = None if shadowed else ROW_NUMBER
        source = parquet_source(version, node=node, connection=connection, row_number=row_number)
        if where:
            total = connection.execute(f"SELECT count(*) FROM {source}{where}", params).fetchall()
            count = int(total[0][0])
        else:
            count = version.row_count
        if not where and not sort and not shadowed:
            # Unfiltered file order: a range on the row number skips straight to the page.
            window = f" WHERE {ROW_NUMBER} >= {offset} AND {ROW_NUMBER} < {offset + page_size}"
            query = f"SELECT * FROM {source}{window}{order}"
        else:
            window = f" LIMIT {page_size} OFFSET {offset}"
            query = f"SELECT * FROM {source}{where}{order}{window}"
        cursor = connection.execute(query, params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        connection.close()
    numbers = [] if shadowed else [int(row.pop(ROW_NUMBER)) for row in rows]
    return count, [{n: _json_value(v) for n, v in row.items()} for row in rows], numbers
