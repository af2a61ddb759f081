"""Each column's distribution over a version: histogram bins, top categories, a timeline.

Values of the rows, so the caller has made the rows' access decision (and audited it)
first, exactly as for a page of rows; the result is cached per version (its Parquet never
changes). Columns the PII scan flagged get no chart: their counts would be people's data.
Every bar carries the rows filters (docs/api.md) that select its rows, so a click on it is
a facet.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy.orm import object_session

from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.schemas import ColumnDistribution, DistributionBar
from laborcommons.catalog.service.encryption import parquet_source
from laborcommons.core import duck
from laborcommons.core.node import Node
from laborcommons.privacy import models as privacy

MAX_BINS = 10
TOP_VALUES = 10
MAX_COLUMNS = 12
YEARS_BY_MONTH = 3  # a timeline longer than this counts per year, shorter per month


def column_distributions(version: DatasetVersion, *, node: Node) -> list[ColumnDistribution]:
    """The charts of a readable version's columns (the caller decided the rows are readable)."""
    # Per version, not per content: two versions with the same bytes may differ in their
    # PII findings, and a column held back in one must not be charted from the other's cache.
    key = ("column-distributions", version.id, version.parquet_sha256)
    cached: list[ColumnDistribution] | None = node.row_pages.get(key)
    if cached is None:
        session = object_session(version)
        hidden = {f.column for f in privacy.findings_of(session, version.id)} if session else set()
        columns = [c for c in version.columns if c["name"] not in hidden][:MAX_COLUMNS]
        connection = node.duck_cursor()
        try:
            source = parquet_source(version, node=node, connection=connection)
            found = [_distribution(connection, source, c["name"], c["type"]) for c in columns]
        finally:
            connection.close()
        cached = [d for d in found if d is not None and d.bars]
        node.row_pages.put(key, cached)
    return cached


# The queries group and order by position, never by an alias: a table's own column named
# "value", "bin" or "period" would bind before the alias (a published answer has "value").
def _distribution(connection: Any, source: str, name: str, kind: str) -> ColumnDistribution | None:
    column = duck.quote_identifier(name)
    if kind in ("integer", "number"):
        bars = _histogram(connection, source, name, column, integer=kind == "integer")
        return ColumnDistribution(column=name, type=kind, kind="histogram", bars=bars)
    if kind in ("date", "datetime"):
        bars = _timeline(connection, source, name, column)
        return ColumnDistribution(column=name, type=kind, kind="timeline", bars=bars)
    return _categories(connection, source, name, column, kind)


def _number(value: float, integer: bool) -> str:
    return str(int(value)) if integer else f"{value:.6g}"


def _histogram(
    connection: Any, source: str, name: str, column: str, *, integer: bool
) -> list[DistributionBar]:
    """Sturges' count of equal-width bins (at most ten); the last bin includes the maximum."""
    value = f"CAST({column} AS DOUBLE)"
    low, high, count = connection.execute(
        f"SELECT min({value}), max({value}), count({value}) FROM {source}"
    ).fetchone()
    if not count or not math.isfinite(low) or not math.isfinite(high):
        return []
    if low == high:
        label = _number(low, integer)
        return [DistributionBar(label=label, count=int(count), filters={name: label})]
    bins = min(MAX_BINS, math.ceil(math.log2(count) + 1))
    width = (high - low) / bins
    if integer:
        width = float(max(1, math.ceil((high - low + 1) / bins)))
        bins = math.ceil((high - low + 1) / width)
    counts = dict(
        connection.execute(
            f"SELECT least(CAST(floor(({value} - ?) / ?) AS INTEGER), ?), count(*)"
            f" FROM {source} WHERE {value} IS NOT NULL GROUP BY 1",
            [low, width, bins - 1],
        ).fetchall()
    )
    bars = []
    for index in range(bins):
        start, end = low + index * width, low + (index + 1) * width
        if integer:  # whole-number bounds, both inclusive
            top = min(end - 1, high)
            filters = {f"{name}__gte": _number(start, True), f"{name}__lte": _number(top, True)}
        elif index == bins - 1:  # the last bin includes the maximum
            top = high
            filters = {f"{name}__gte": repr(start), f"{name}__lte": repr(high)}
        else:
            top = end
            filters = {f"{name}__gte": repr(start), f"{name}__lt": repr(end)}
        label = f"{_number(start, integer)} to {_number(top, integer)}"
        bars.append(DistributionBar(label=label, count=int(counts.get(index, 0)), filters=filters))
    return bars


def _timeline(connection: Any, source: str, name: str, column: str) -> list[DistributionBar]:
    """Counts per month, or per year over a longer span; each period a range filter."""
    day = f"TRY_CAST({column} AS DATE)"
    first, last = connection.execute(f"SELECT min({day}), max({day}) FROM {source}").fetchone()
    if first is None:
        return []
    unit = "year" if (last - first).days > 366 * YEARS_BY_MONTH else "month"
    rows = connection.execute(
        f"SELECT date_trunc('{unit}', {day}), count(*) FROM {source}"
        f" WHERE {day} IS NOT NULL GROUP BY 1 ORDER BY 1"
    ).fetchall()
    bars = []
    for period, count in rows:
        start = period if isinstance(period, dt.date) else dt.date.fromisoformat(str(period))
        end = _next_period(start, unit)
        label = str(start.year) if unit == "year" else f"{start:%Y-%m}"
        filters = {f"{name}__gte": start.isoformat(), f"{name}__lt": end.isoformat()}
        bars.append(DistributionBar(label=label, count=int(count), filters=filters))
    return bars


def _next_period(start: dt.date, unit: str) -> dt.date:
    if unit == "year":
        return start.replace(year=start.year + 1, month=1, day=1)
    if start.month == 12:
        return start.replace(year=start.year + 1, month=1, day=1)
    return start.replace(month=start.month + 1, day=1)


def _categories(
    connection: Any, source: str, name: str, column: str, kind: str
) -> ColumnDistribution | None:
    """The most frequent values; none when every value is unique (names, identifiers)."""
    text = f"CAST({column} AS VARCHAR)"
    total = connection.execute(f"SELECT count({text}) FROM {source}").fetchone()[0]
    rows = connection.execute(
        f"SELECT {text}, count(*) FROM {source} WHERE {text} IS NOT NULL"
        f" GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {TOP_VALUES}"
    ).fetchall()
    if not rows or (rows[0][1] == 1 and total > 1):
        return None
    bars = [DistributionBar(label=v, count=int(n), filters={name: v}) for v, n in rows]
    other = int(total) - sum(b.count for b in bars)
    return ColumnDistribution(column=name, type=kind, kind="categories", bars=bars, other=other)
