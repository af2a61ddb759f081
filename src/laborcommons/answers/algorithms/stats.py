"""The true per-cell figures, computed in DuckDB: per-subject first, then per cell.

One subject's many rows become one per-subject mean (clamped to the bounds) before any
cell sees them, so a worker with many payslips counts once and weighs at most the bounds.
"""

from __future__ import annotations

from typing import Any

from laborcommons.answers.algorithms import ALGORITHMS
from laborcommons.answers.spec import QuestionSpec
from laborcommons.core.duck import quote_identifier as q

Key = tuple[object, ...]


def per_subject_sql(table: str, spec: QuestionSpec, by: tuple[str, ...]) -> str:
    """One row per (breakdown group, subject) with ``v_`` and, for share-below, ``ref_``."""
    groups = [q(column) for column in by] + [q(spec.subject)]
    select = [*groups[:-1], f"{q(spec.subject)} AS subject_"]
    where = f"{q(spec.subject)} IS NOT NULL"
    if spec.value is not None and ALGORITHMS[spec.algorithm].needs_value:
        value = f"avg(CAST({q(spec.value)} AS DOUBLE))"
        if spec.bounds is not None:
            low, high = (float(bound) for bound in spec.bounds)
            value = f"least(greatest({value}, {low!r}), {high!r})"
        select.append(f"{value} AS v_")
        where += f" AND {q(spec.value)} IS NOT NULL"
    if spec.below_column is not None:
        select.append(f"avg(CAST({q(spec.below_column)} AS DOUBLE)) AS ref_")
    elif spec.below is not None:
        select.append(f"{float(spec.below)!r} AS ref_")
    return f"SELECT {', '.join(select)} FROM {q(table)} WHERE {where} GROUP BY {', '.join(groups)}"


def cell_rows(
    con: Any, table: str, spec: QuestionSpec, by: tuple[str, ...], *, values: bool
) -> list[tuple[Any, ...]]:
    """Rows of (group..., n, total, largest, second, below, [sorted values])."""
    has_value = ALGORITHMS[spec.algorithm].needs_value
    figures = ["count(*)"]
    figures += ["sum(v_)", "coalesce(max(v_, 2), [])"] if has_value else ["0.0", "[]::DOUBLE[]"]
    below = spec.below is not None or spec.below_column is not None
    figures.append("count_if(v_ < ref_)" if below and has_value else "0")
    if values:
        figures.append("list(v_ ORDER BY v_)")
    columns = [q(column) for column in by]
    grouping = f" GROUP BY {', '.join(columns)}" if columns else ""
    sql = (
        f"SELECT {', '.join([*columns, *figures])} "
        f"FROM ({per_subject_sql(table, spec, by)}){grouping}"
    )
    rows: list[tuple[Any, ...]] = con.execute(sql).fetchall()
    return rows


def bin_counts(
    con: Any, table: str, spec: QuestionSpec, by: tuple[str, ...]
) -> dict[Key, list[int]]:
    """Distinct subjects per bin of each group; a subject falls in exactly one bin."""
    edges = list(spec.bins or ())
    cases = " ".join(f"WHEN v_ < {edge!r} THEN {i}" for i, edge in enumerate(edges[1:-1]))
    index = f"CASE {cases} ELSE {len(edges) - 2} END" if cases else "0"
    columns = [q(column) for column in by]
    sql = (
        f"SELECT {', '.join([*columns, f'{index} AS bin_', 'count(*)'])} "
        f"FROM ({per_subject_sql(table, spec, by)}) GROUP BY ALL"
    )
    counts: dict[Key, list[int]] = {}
    for row in con.execute(sql).fetchall():
        key = tuple(row[: len(by)])
        counts.setdefault(key, [0] * (len(edges) - 1))[int(row[len(by)])] = int(row[-1])
    return counts
