"""Compute one safe answer: true figures in DuckDB, suppression, then calibrated noise.

Suppression is decided jointly over every allowed breakdown of the question (not just the
one asked), so the cells this answer publishes and those any other breakdown would publish
never let a suppressed cell be rebuilt by subtraction.
"""

from __future__ import annotations

import itertools
from typing import Any

from laborcommons.answers.algorithms import ALGORITHMS
from laborcommons.answers.algorithms import publish as pub
from laborcommons.answers.algorithms.stats import bin_counts, cell_rows
from laborcommons.answers.safety import CellStats, primary_reason, suppress_secondary
from laborcommons.answers.safety.enable import chain, check_enableable
from laborcommons.answers.spec import Cell, EngineAnswer, Noise, NoiseSource, QuestionSpec
from laborcommons.core.errors import InvalidInput

__all__ = ["check_enableable", "compute_answer"]

Key = tuple[object, ...]


def compute_answer(
    con: Any, table: str, spec: QuestionSpec, by: tuple[str, ...], *, noise: NoiseSource
) -> EngineAnswer:
    by = tuple(by)
    if by not in spec.breakdowns:
        raise InvalidInput(
            "This breakdown is not allowed for the question.",
            details={"by": list(by), "allowed": [list(b) for b in spec.breakdowns]},
        )
    levels = chain(spec.breakdowns)
    algorithm = ALGORITHMS[spec.algorithm]
    p = spec.dominance_p if algorithm.dominance else None
    rows: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    sizes: dict[tuple[str, ...], dict[Key, int]] = {}
    status: dict[tuple[str, ...], dict[Key, Any]] = {}
    for level in levels:
        if level not in spec.breakdowns:  # the overall total: assumed known, never hidden
            sizes[level], status[level] = {(): 0}, {(): None}
            continue
        rows[level] = cell_rows(con, table, spec, level, values=level == by and _lists(spec))
        sizes[level], status[level] = {}, {}
        for row in rows[level]:
            key, stats = _stats(row, len(level))
            sizes[level][key] = stats.subjects
            status[level][key] = primary_reason(
                stats, min_subjects=spec.min_subjects, dominance_p=p
            )
    suppress_secondary(levels, sizes, status)
    return _publish(con, table, spec, by, rows[by], status[by], noise)


def _lists(spec: QuestionSpec) -> bool:
    return spec.algorithm in ("median", "quantiles")


def _stats(row: tuple[Any, ...], width: int) -> tuple[Key, CellStats]:
    n, total, top, _below = row[width : width + 4]
    top = [*sorted((float(v) for v in top), reverse=True), 0.0, 0.0]
    return tuple(row[:width]), CellStats(int(n), float(total or 0.0), top[0], top[1])


def _publish(
    con: Any,
    table: str,
    spec: QuestionSpec,
    by: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    status: dict[Key, Any],
    noise: NoiseSource,
) -> EngineAnswer:
    width = len(by)
    rows = sorted(rows, key=lambda row: _order(row[:width]))
    shown = [row for row in rows if status[tuple(row[:width])] is None]
    counts = [int(row[width]) for row in shown]
    if spec.algorithm == "histogram":
        return _histogram(con, table, spec, by, rows, status, noise)
    if spec.algorithm in ("median", "quantiles"):
        quantiles, info = pub.noisy_quantiles(noise, spec, [row[width + 4] for row in shown])
        return _quantile_cells(spec, by, rows, status, shown, quantiles, info)
    if spec.algorithm == "mean":
        values, info = pub.noisy_means(noise, spec, counts, [float(r[width + 1]) for r in shown])
    elif spec.algorithm == "share-below":
        values, info = pub.noisy_shares(noise, spec, counts, [int(r[width + 3]) for r in shown])
    else:
        values, info = pub.noisy_counts(noise, counts, spec.epsilon)
    published = {tuple(row[:width]): float(v) for row, v in zip(shown, values, strict=True)}
    cells = [_cell(by, row, {}, status, published.get(tuple(row[:width]))) for row in rows]
    return EngineAnswer(cells, info, by, [int(row[width]) for row in rows])


def _cell(
    by: tuple[str, ...],
    row: tuple[Any, ...],
    extra: dict[str, Any],
    status: dict[Key, Any],
    value: float | None,
    reason: Any = None,
) -> Cell:
    key = tuple(row[: len(by)])
    why = status[key] or reason
    group = {**dict(zip(by, key, strict=True)), **extra}
    return Cell(group, None if why else value, why is not None, why, int(row[len(by)]))


def _quantile_cells(
    spec: QuestionSpec,
    by: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    status: dict[Key, Any],
    shown: list[tuple[Any, ...]],
    quantiles: list[list[float]],
    info: Noise,
) -> EngineAnswer:
    width = len(by)
    found = {tuple(row[:width]): q for row, q in zip(shown, quantiles, strict=True)}
    alphas = pub._alphas(spec)
    cells = []
    for row in rows:
        values = found.get(tuple(row[:width]))
        for i, alpha in enumerate(alphas):
            extra = {} if spec.algorithm == "median" else {"quantile": alpha}
            cells.append(_cell(by, row, extra, status, values[i] if values else None))
    return EngineAnswer(cells, info, by, [int(row[width]) for row in rows])


def _histogram(
    con: Any,
    table: str,
    spec: QuestionSpec,
    by: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    status: dict[Key, Any],
    noise: NoiseSource,
) -> EngineAnswer:
    """A bin under the threshold is suppressed too: it would say who sits in it."""
    width, edges = len(by), list(spec.bins or ())
    bins = bin_counts(con, table, spec, by)
    labels = [f"[{_num(a)}, {_num(b)})" for a, b in itertools.pairwise(edges)]
    labels[-1] = labels[-1][:-1] + "]"
    cells, flat = [], []
    for row in rows:
        counts = bins.get(tuple(row[:width]), [0] * len(labels))
        for label, count in zip(labels, counts, strict=True):
            small = "threshold" if count < spec.min_subjects else None
            flat.append((row, label, small, count))
    shown = [
        i
        for i, (row, _, small, _) in enumerate(flat)
        if not small and not status[tuple(row[:width])]
    ]
    noisy, info = pub.noisy_counts(noise, [flat[i][3] for i in shown], spec.epsilon)
    values = dict(zip(shown, noisy, strict=True))
    for i, (row, label, small, count) in enumerate(flat):
        cell = _cell(by, row, {"bin": label}, status, values.get(i), small)
        cells.append(Cell(cell.group, cell.value, cell.suppressed, cell.reason, count))
    return EngineAnswer(cells, info, by, [int(row[width]) for row in rows])


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _order(key: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, "" if value is None else f"{value}") for value in key)
