"""Information-loss metrics, defined as ARX defines them, with their lower bounds.

- ``discernibility`` (ARX's non-monotonic DM): a kept class costs its size per record, a
  suppressed record costs the number of records. ``discernibility_monotonic`` (DM*): the sum
  of squared class sizes, suppressed or not.
- ``average_class_size`` (AECS): records over kept classes, the suppressed counting as one.
- ``loss`` (Iyengar, ARX's Loss with equal weight for generalization and suppression): per
  column, each kept record costs the share of the domain its generalized value covers and a
  suppressed record 1, normalized to [0, 1]; the mean over columns.
- ``entropy`` (non-uniform entropy, De Waal & Willenborg): per record and column
  ``-log2(count(original) / count(generalized))`` over the whole table, plus for the
  suppressed records the entropy of their generalized values among themselves (as ARX).

A lower bound holds for a node and every node above it; the search prunes with it.
Entropy and loss have bounds that depend on the levels alone (no grouping needed).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from laborcommons.privacy.kanon.encoding import EncodedTable
from laborcommons.privacy.kanon.groups import Classes

Floats = npt.NDArray[np.float64]


def discernibility(table: EncodedTable, classes: Classes) -> float:
    kept = classes.size[classes.kept]
    return float(np.sum(kept * kept) + classes.suppressed * table.records)


def discernibility_monotonic(table: EncodedTable, classes: Classes) -> float:
    return float(np.sum(classes.size * classes.size))


def average_class_size(table: EncodedTable, classes: Classes) -> float:
    groups = int(np.count_nonzero(classes.kept)) + (1 if classes.suppressed else 0)
    return table.records / groups if groups else 0.0


def column_entropy(table: EncodedTable) -> list[Floats]:
    """``[column][level]``: the entropy of generalizing that column alone to that level."""
    if "entropy" in table.memo:
        return list(table.memo["entropy"])
    result = []
    for column in table.columns:
        original = column.counts[0].astype(np.float64)
        result.append(
            np.asarray(
                [
                    float(np.sum(original * np.log2(counts[up] / original)))
                    for up, counts in zip(column.up, column.counts, strict=True)
                ]
            )
        )
    table.memo["entropy"] = result
    return result


def entropy(table: EncodedTable, classes: Classes) -> float:
    parts = column_entropy(table)
    total = sum(float(parts[j][level]) for j, level in enumerate(classes.levels))
    if not classes.suppressed:
        return total
    rep, size = classes.rep[classes.outlier], classes.size[classes.outlier]
    for j, level in enumerate(classes.levels):
        codes = table.codes(j, level, rep)
        counts = np.bincount(codes, weights=size).astype(np.float64)
        counts = counts[counts > 0]
        total += float(np.sum(counts * np.log2(classes.suppressed / counts)))
    return total


def column_loss(table: EncodedTable) -> list[Floats]:
    """``[column][level]``: the normalized loss of that column at that level, none suppressed."""
    if "loss" in table.memo:
        return list(table.memo["loss"])
    result = []
    n = float(table.records)
    for column in table.columns:
        floor = n / column.domain
        shares = [
            float(np.sum(counts * leaves)) / column.domain
            for counts, leaves in zip(column.counts, column.leaves, strict=True)
        ]
        result.append(
            np.asarray([max((s - floor) / (n - floor), 0.0) if n > floor else 0.0 for s in shares])
        )
    table.memo["loss"] = result
    return result


def loss(table: EncodedTable, classes: Classes) -> float:
    n = float(table.records)
    values = []
    for j, level in enumerate(classes.levels):
        column = table.columns[j]
        share = column.leaves[level][table.codes(j, level, classes.rep)] / column.domain
        spent = float(np.sum(np.where(classes.outlier, 1.0, share) * classes.size))
        floor = n / column.domain
        values.append(max((spent - floor) / (n - floor), 0.0) if n > floor else 0.0)
    return float(np.mean(values)) if values else 0.0


Metric = Callable[[EncodedTable, Classes], float]
METRICS: dict[str, Metric] = {
    "discernibility": discernibility,
    "average-class-size": average_class_size,
    "loss": loss,
    "entropy": entropy,
}
REPORTED: dict[str, Metric] = {**METRICS, "discernibility-monotonic": discernibility_monotonic}


def level_bounds(table: EncodedTable, metric: str) -> list[Floats] | None:
    """Per-column parts whose sum (entropy) or mean (loss) bounds a node from below."""
    if metric == "entropy":
        return column_entropy(table)
    if metric == "loss":
        return column_loss(table)
    return None


def class_bound(table: EncodedTable, metric: str, classes: Classes) -> float:
    """A bound for every node above ``classes``' node: their classes are unions of these."""
    if metric == "discernibility":
        return discernibility_monotonic(table, classes)
    if metric == "average-class-size":
        return table.records / len(classes.size) if len(classes.size) else 0.0
    return float("-inf")
