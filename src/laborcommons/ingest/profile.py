"""Per-column statistics of the written Parquet, from a single DuckDB aggregate query."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from laborcommons.ingest.inference import column_type
from laborcommons.ingest.schemas import ColumnProfile, ColumnStats
from laborcommons.ingest.sql import ident, literal

MAX_TEXT = 200  # min/max of long text are cut so a profile stays small


def profile(con: Any, path: Path) -> tuple[int, list[ColumnProfile]]:
    """Return the row count and a profile per column, in file order."""
    return profile_source(con, f"read_parquet({literal(path)})")


def profile_source(con: Any, source: str) -> tuple[int, list[ColumnProfile]]:
    """Profile any FROM-clause source: a sealed version's statistics are computed on demand
    from its decrypted rows, never stored (see docs/access.md)."""
    described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    columns = [(row[0], column_type(row[1])) for row in described]
    aggregates = ["count(*)"]
    for name, kind in columns:
        quoted = ident(name)
        mean = f"avg({quoted})" if kind in ("integer", "number") else "NULL"
        aggregates += [
            f"count({quoted})",
            f"approx_count_distinct({quoted})",
            f"min({quoted})",
            f"max({quoted})",
            mean,
        ]
    row = con.execute(f"SELECT {', '.join(aggregates)} FROM {source}").fetchall()[0]
    total = int(row[0])
    profiles = []
    for index, (name, kind) in enumerate(columns):
        count, distinct, low, high, mean = row[1 + index * 5 : 6 + index * 5]
        stats = ColumnStats(
            count=count,
            nulls=total - count,
            distinct=distinct,
            min=plain(low),
            max=plain(high),
            mean=plain(mean),
        )
        profiles.append(ColumnProfile(name=name, type=kind, stats=stats))
    return total, profiles


def counts_only(column: ColumnProfile) -> ColumnProfile:
    """Name, type and counts: what may be known of a restricted column without its rows
    (min, max and mean are values of the data: a maximum wage is one worker's wage)."""
    if column.stats is None:
        return column
    stats = column.stats.model_copy(update={"min": None, "max": None, "mean": None})
    return column.model_copy(update={"stats": stats})


def plain(value: Any) -> Any:
    """Make a DuckDB value JSON-friendly: ISO dates, finite floats, short strings."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    return value
