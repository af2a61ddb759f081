"""Matching benchmark: our pipeline vs splink defaults, recordlinkage and exact names.

In one process and on the same inputs, each method clusters each record set; for every
labeled set it prints pairwise precision, recall and F1, cluster (B-cubed) F1, records per
second and peak memory (RSS growth while the method ran). Unlabeled sets (OAR lists,
WikiRate suppliers, living-wage brands) report speed and the number of clusters only.
Then: 10,000 new records matched against existing entities (``match_against``).

Baselines, as a user would set them up:
- splink (default): Jaro-Winkler on lower-cased name and address, exact country,
  blocking on name and address prefixes, u by random sampling, m by EM, threshold 0.9;
- recordlinkage: sorted-neighbourhood index on the name (window 9), Jaro-Winkler >= 0.85
  on name and address, exact country, ECM (unsupervised) classifier;
- exact: same normalized name (our normalization) and same country.
dedupe 3 is not run: it needs ``BTrees<6.5``, which does not install beside this stack.

Usage: python bench/matching.py [--million] [--sweep] [--retrain]
  --million  also cluster 1,000,000 demo records and match 10,000 new against 1,000,000
  --sweep    print our F1 at several thresholds (how the defaults were chosen)
  --retrain  re-estimate m/u on demo records (seed 99) and rewrite parameters.json
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matching_data as data

from laborcommons.entities.matching import cluster_records, match_against
from laborcommons.entities.matching.metrics import Quality, quality
from laborcommons.entities.matching.normalize import normalize_name
from laborcommons.entities.matching.pipeline import components

Method = Callable[[pd.DataFrame], pd.Series]


class PeakMemory:
    """Peak resident memory of this process while the block runs, sampled every 20 ms."""

    def __init__(self) -> None:
        self.process = psutil.Process(os.getpid())
        self.peak = 0
        self.start = 0
        self._stop = threading.Event()

    def __enter__(self) -> PeakMemory:
        self.start = self.peak = self.process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


def ours(frame: pd.DataFrame, threshold: float | None = None) -> pd.Series:
    options = {} if threshold is None else {"threshold": threshold}
    result = cluster_records(frame.drop(columns=["truth"], errors="ignore"), **options)
    return result["cluster_id"]


def _labels_from_pairs(size: int, left: list[int], right: list[int]) -> pd.Series:
    import numpy as np

    return pd.Series(components(size, np.array(left, dtype=int), np.array(right, dtype=int)))


def _lower(frame: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame({"unique_id": range(len(frame))})
    for column in ("name", "address", "country"):
        values = frame[column].astype(object).where(frame[column].notna(), None)
        table[column] = [
            None if v is None or not str(v).strip() else str(v).strip().lower() for v in values
        ]
    return table


def splink_default(frame: pd.DataFrame) -> pd.Series:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    table = _lower(frame)
    comparisons = [cl.JaroWinklerAtThresholds("name")]
    blocking = [block_on("substr(name, 1, 4)")]
    if table["address"].notna().any():
        comparisons.append(cl.JaroWinklerAtThresholds("address"))
        blocking.append(block_on("substr(address, 1, 6)"))
    if table["country"].notna().any():
        comparisons.append(cl.ExactMatch("country"))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
    )
    api = DuckDBAPI()
    linker = Linker(api.register(table), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match([block_on("name")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in blocking:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    pairs = linker.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
    return _labels_from_pairs(len(table), list(pairs["unique_id_l"]), list(pairs["unique_id_r"]))


def recordlinkage_standard(frame: pd.DataFrame) -> pd.Series:
    import recordlinkage as rl

    table = _lower(frame).fillna("")
    indexer = rl.Index()
    indexer.sortedneighbourhood("name", window=9)
    candidates = indexer.index(table)
    compare = rl.Compare()
    compare.string("name", "name", method="jarowinkler", threshold=0.85, label="name")
    if (table["address"] != "").any():
        compare.string("address", "address", method="jarowinkler", threshold=0.85, label="address")
    if (table["country"] != "").any():
        compare.exact("country", "country", label="country")
    features = compare.compute(candidates, table)
    links = rl.ECMClassifier(binarize=None).fit_predict(features)
    left = [int(a) for a, _ in links]
    right = [int(b) for _, b in links]
    return _labels_from_pairs(len(table), left, right)


def exact_name(frame: pd.DataFrame) -> pd.Series:
    names = frame["name"].map(lambda n: normalize_name(n) if isinstance(n, str) else "")
    country = frame["country"].fillna("").astype(str).str.strip().str.lower()
    keys = names + "|" + country
    keys = keys.where(names != "", "row" + pd.Series(range(len(frame))).astype(str))
    return keys.reset_index(drop=True)


METHODS: dict[str, Method] = {
    "ours": ours,
    "splink default": splink_default,
    "recordlinkage": recordlinkage_standard,
    "exact name": exact_name,
}


def labeled_pairs_quality(
    labels: pd.Series, frame: pd.DataFrame, pairs: list[tuple[str, str, bool]]
) -> Quality:
    cluster = dict(zip(frame["id"], labels, strict=True))
    tp = sum(1 for a, b, m in pairs if m and cluster[a] == cluster[b])
    fp = sum(1 for a, b, m in pairs if not m and cluster[a] == cluster[b])
    fn = sum(1 for a, b, m in pairs if m and cluster[a] != cluster[b])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Quality(precision, recall, f1, float("nan"))


def run(
    name: str, method: str, frame: pd.DataFrame, pairs: list[tuple[str, str, bool]] | None = None
) -> None:
    started = time.perf_counter()
    try:
        with PeakMemory() as memory:
            labels = METHODS[method](frame).reset_index(drop=True)
    except Exception as error:  # a baseline that fails on an input is a result too
        print(f"{name:22} {method:15} failed: {type(error).__name__}: {str(error)[:60]}")
        return
    seconds = time.perf_counter() - started
    rate = len(frame) / seconds if seconds else float("inf")
    peak = (memory.peak - memory.start) / 2**20
    clusters = labels.nunique()
    if pairs is not None:
        q = labeled_pairs_quality(labels, frame, pairs)
    elif "truth" in frame.columns:
        q = quality(labels, frame["truth"].reset_index(drop=True))
    else:
        q = None
    scores = (
        f"{q.precision:6.3f} {q.recall:6.3f} {q.f1:6.3f} {q.bcubed_f1:6.3f}"
        if q
        else f"{'-':>6} {'-':>6} {'-':>6} {'-':>6}"
    )
    print(f"{name:22} {method:15} {scores} {rate:10,.0f} {peak:8.0f} {clusters:9,}", flush=True)


def header() -> None:
    print(
        f"{'input':22} {'method':15} {'P':>6} {'R':>6} {'F1':>6} {'B3-F1':>6} "
        f"{'records/s':>10} {'peak MB':>8} {'clusters':>9}"
    )


def incremental(existing_records: int, new_records: int) -> None:
    frame = data.demo(existing_records + new_records, seed=11)
    existing = frame.iloc[:existing_records].assign(id=lambda d: d["truth"])
    new = frame.iloc[existing_records:]
    started = time.perf_counter()
    with PeakMemory() as memory:
        result = match_against(new.drop(columns="truth"), existing.drop(columns="truth"))
    seconds = time.perf_counter() - started
    verdicts = result.frame()
    verdicts["truth"] = new["truth"].to_numpy()
    verdicts["known"] = verdicts["truth"].isin(set(existing["id"]))
    linked = verdicts[verdicts["status"] == "linked"]
    correct = (linked["entity_id"] == linked["truth"]).mean() if len(linked) else float("nan")
    known_linked = (
        verdicts["known"]
        & (verdicts["entity_id"] == verdicts["truth"])
        & (verdicts["status"] == "linked")
    ).sum() / max(1, verdicts["known"].sum())
    counts = verdicts["status"].value_counts().to_dict()
    print(
        f"match_against: {new_records:,} new vs {existing_records:,} existing rows "
        f"({existing['id'].nunique():,} entities): {seconds:.1f} s, peak RSS "
        f"{memory.peak / 2**20:,.0f} MB; {counts}; linked correct {correct:.3f}, "
        f"known entities linked {known_linked:.3f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--retrain", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.retrain:
        retrain()
    records, pairs = data.oar_training()
    labeled = {
        "restaurants": data.restaurants(),
        "chicago": data.chicago(),
        "companies (ISIN)": data.companies(),
        "demo 10k": data.demo(10_000),
    }
    if args.sweep:
        sweep(labeled)
    header()
    for name, frame in labeled.items():
        for method in METHODS:
            run(name, method, frame)
    for method in METHODS:
        run("OAR training pairs", method, records, pairs)
    unlabeled = {
        "OAR 14 lists": data.oar_lists(),
        "WikiRate suppliers": data.wikirate_suppliers(),
        "living-wage brands": data.living_wage_brands(),
    }
    for name, frame in unlabeled.items():
        for method in METHODS:
            run(name, method, frame)
    incremental(100_000, 1_000)
    if args.million:
        million = data.demo(1_000_000)
        run("demo 1M", "ours", million)
        run("demo 1M", "exact name", million)
        del million
        incremental(1_000_000, 10_000)


def sweep(labeled: dict[str, pd.DataFrame]) -> None:
    for threshold in (0.5, 0.8, 0.9, 0.95, 0.99):
        scores = []
        for name, frame in labeled.items():
            q = quality(
                ours(frame, threshold).reset_index(drop=True), frame["truth"].reset_index(drop=True)
            )
            scores.append(f"{name} {q.f1:.3f}")
        print(f"threshold {threshold}: " + ", ".join(scores), flush=True)


def retrain() -> None:
    from laborcommons.entities.matching.model import PARAMETERS_PATH, shipped_parameters
    from laborcommons.entities.matching.training import estimate_parameters, write_parameters

    frame = data.demo(20_000, seed=99)
    parameters = estimate_parameters(
        frame.drop(columns="truth").assign(label=frame["truth"]),
        "label",
        fallback=shipped_parameters(),
    )
    write_parameters(parameters, PARAMETERS_PATH)
    shipped_parameters.cache_clear()
    print(f"wrote {PARAMETERS_PATH}")


if __name__ == "__main__":
    main()
