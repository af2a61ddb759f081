"""Clustering one or more record sets with splink (DuckDB embedded, or Spark).

The model's parameters are fixed (``parameters.json``) and the prior follows the number of
records (about one true partner per record), so the same records give the same pairs,
the same clusters and the same cluster ids on every run and on both backends.
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from laborcommons.entities.matching.backends import Backend, Progress, arrow, predict
from laborcommons.entities.matching.model import Parameters, prior_for, settings
from laborcommons.entities.matching.prepare import check_columns, distinct_records, prepare
from laborcommons.entities.matching.training import parameters_for

__all__ = [
    "CLUSTER_THRESHOLD",
    "LOWER_THRESHOLD",
    "UPPER_THRESHOLD",
    "Backend",
    "Progress",
    "cluster_records",
]

CLUSTER_THRESHOLD = 0.95
"""Pairs at or above this probability are joined into one cluster (chosen on the benchmark)."""
UPPER_THRESHOLD = 0.95
"""``match_against``: a best candidate at or above this is linked without review."""
LOWER_THRESHOLD = 0.5
"""``match_against``: below this a record is new; between the two it goes to review."""


def record_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """``source`` and ``id`` of each record as text (source "" when absent)."""
    source = frame["source"] if "source" in frame.columns else pd.Series("", index=frame.index)
    return pd.DataFrame(
        {
            "source": source.fillna("").astype(str).to_numpy(),
            "id": frame["id"].astype(str).str.strip().to_numpy(),
        }
    )


def components(size: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components (union-find) of ``size`` nodes: each node's smallest member."""
    parent = list(range(size))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([root(node) for node in range(size)], dtype=np.int64)


U_COPIES = 2
"""u is measured on the rows with at most this many copies of each record: real lists
repeat a facility a few times (and u must see that), but 1,000 copies of one would make
every other pair look rare."""
STRONG = 16.0
"""A pair of at least this many bits (same name and near the same address, say) is never
cut when a chain is broken: near-identical records stay together however many they are."""


def bounded_components(
    size: int,
    pairs: pd.DataFrame,
    *,
    largest: int = 25,
    step: float = 2.0,
    copies: np.ndarray | None = None,
) -> np.ndarray:
    """Connected components, with chains broken: a component of more than ``largest``
    records keeps only its stronger pairs (``step`` more bits each round, never cutting a
    ``STRONG`` pair) until it falls apart or no weak pair is left. One wrong pair must not
    glue two hundred factories together. ``copies`` counts the input rows behind each node
    (a node is never split: its copies are one record).
    """
    left = pairs["unique_id_l"].to_numpy()
    right = pairs["unique_id_r"].to_numpy()
    weight = pairs["match_weight"].to_numpy(dtype=float)
    roots = components(size, left, right)
    floor = float(weight.min()) if len(weight) else 0.0
    while (weight < STRONG).any():
        counts = np.bincount(roots, weights=copies, minlength=size)
        oversized = counts[roots[left]] > largest
        if not oversized.any():
            break
        floor += step
        keep = ~oversized | (weight >= min(floor, STRONG))
        left, right, weight = left[keep], right[keep], weight[keep]
        roots = components(size, left, right)
    return roots


def cluster_ids(keys: pd.DataFrame, roots: np.ndarray) -> pd.Series:
    """A cluster's id hashes its smallest ``(source, id)``: stable whatever the row order."""
    member = keys["source"] + "\x1f" + keys["id"]
    smallest = member.groupby(roots).transform("min")
    return smallest.map(lambda key: "C" + hashlib.sha256(key.encode()).hexdigest()[:12])


def cluster_records(
    frame: pd.DataFrame,
    *,
    backend: Backend = "duckdb",
    threshold: float = CLUSTER_THRESHOLD,
    spark: Any = None,
    parameters: Parameters | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Group records that describe the same real-world entity.

    ``frame`` has ``id`` and ``name`` and optionally ``address``, ``city``, ``postal_code``,
    ``country``, ``latitude``, ``longitude`` and ``source`` (ids must be unique within a
    source). Returns one row per input record (input order) with ``source``, ``id`` and
    ``cluster_id``; ``cluster_id`` is ``C`` + 12 hex digits of the SHA-256 of the smallest
    ``source``/``id`` in the cluster, so it does not depend on row order, run or backend.
    """
    check_columns(frame)
    report = progress or (lambda message: None)
    keys = record_keys(frame)
    report(f"normalizing {len(frame):,} records")
    report("scoring candidate pairs")
    roots = cluster_table(  # no name holds the prepared table: it is freed before scoring
        prepare(frame.reset_index(drop=True)),
        threshold=threshold,
        backend=backend,
        spark=spark,
        parameters=parameters,
    )
    keys["cluster_id"] = cluster_ids(keys, roots).to_numpy()
    return keys


def cluster_table(
    table: pd.DataFrame,
    *,
    threshold: float,
    backend: Backend = "duckdb",
    spark: Any = None,
    parameters: Parameters | None = None,
) -> np.ndarray:
    """Each row's component root: distinct records are scored and clustered, copies
    follow their distinct record (so 1,000 copies are one cluster, like 10)."""
    distinct, row_of = distinct_records(table)
    if len(distinct) >= 2 and parameters is None:
        few = pd.Series(row_of).groupby(row_of).cumcount().to_numpy() < U_COPIES
        parameters = parameters_for(table.loc[few].reset_index(drop=True))
    del table  # a million rows of Python lists: free them before DuckDB works
    typed: pd.DataFrame | pa.Table = distinct
    if len(distinct) >= 2:
        typed = arrow(distinct)
    del distinct
    pairs = score(
        typed,
        threshold=threshold,
        backend=backend,
        spark=spark,
        parameters=parameters,
    )
    n = typed.num_rows if isinstance(typed, pa.Table) else len(typed)
    copies = np.bincount(row_of, minlength=n)
    roots: np.ndarray = bounded_components(n, pairs, copies=copies)[row_of]
    return roots


def _numbers_in(name: Any) -> frozenset[int]:
    return frozenset(int(run) for run in re.findall(r"\d+", name)) if name else frozenset()


def unlike_names(
    pairs: pd.DataFrame, table: pd.DataFrame | pa.Table, parameters: Parameters
) -> np.ndarray:
    """Pairs that must not be joined whatever their addresses say: names with nothing in
    common (the name's last level), or names that both carry numbers and not the same
    ones (``Soorty unit 6`` and ``Soorty unit 7``, ``branch #1`` and ``branch #2``): the
    factories of one building or one group share an address and its numbers."""
    m, u = parameters["name"][-1]
    unlike = np.isclose(pairs["mw_name"].to_numpy(dtype=float), math.log2(m / u), atol=1e-6)
    column = table.column("name_norm") if isinstance(table, pa.Table) else table["name_norm"]
    names = column.to_pylist() if isinstance(column, pa.ChunkedArray) else column.tolist()
    numbers: dict[int, frozenset[int]] = {}
    for side in ("unique_id_l", "unique_id_r"):
        for record in pairs[side].unique().tolist():
            numbers[record] = _numbers_in(names[record])
    conflict = [
        bool(numbers[a] and numbers[b] and numbers[a] != numbers[b])
        for a, b in zip(pairs["unique_id_l"].tolist(), pairs["unique_id_r"].tolist(), strict=True)
    ]
    result: np.ndarray = unlike | np.array(conflict, dtype=bool)
    return result


def score(
    table: pd.DataFrame | pa.Table,
    *,
    threshold: float,
    backend: Backend = "duckdb",
    spark: Any = None,
    parameters: Parameters | None = None,
    retain: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Scored pairs of one prepared table, sorted, at or above ``threshold``, without the
    pairs whose names are unlike (a shared address alone does not make one facility)."""
    n = table.num_rows if isinstance(table, pa.Table) else len(table)
    if n < 2:
        columns = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
        return pd.DataFrame({column: [] for column in columns})
    if parameters is None:
        if isinstance(table, pa.Table):
            table = table.to_pandas()
        parameters = parameters_for(table)
    model = settings(prior=prior_for(n), parameters=parameters, retain=retain)
    pairs = predict(table, model, threshold=threshold, backend=backend, spark=spark)
    pairs = pairs.loc[~unlike_names(pairs, table, parameters)]
    return pairs.sort_values(["unique_id_l", "unique_id_r"], kind="stable").reset_index(drop=True)
