"""Estimating the model's m/u parameters once, on labeled records, to ship them as JSON.

u (how often non-matches agree) comes from a seeded random sample of pairs, m (how often
matches agree) from the records' true cluster labels. Run it again when the comparisons
change (``bench/matching.py --retrain``) and commit the new ``parameters.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from splink import Linker

from laborcommons.entities.matching.backends import arrow, database_api
from laborcommons.entities.matching.model import (
    LEVELS,
    SMALL_FILE,
    Parameters,
    prior_for,
    settings,
    shipped_parameters,
)
from laborcommons.entities.matching.prepare import prepare

U_SAMPLE = 600
"""Records sampled (seeded) to measure u on the input itself: about 180,000 pairs."""
M_FLOOR = 2e-3
"""No level is ever impossible for a match: one field must not veto all the others."""
U_FLOOR = 1e-5


def estimate_parameters(
    frame: pd.DataFrame,
    label_column: str,
    *,
    seed: int = 42,
    max_pairs: float = 2e6,
    fallback: Parameters | None = None,
) -> Parameters:
    """m/u of every non-null level, estimated on ``frame`` whose ``label_column`` is truth.

    A comparison the frame has no values for (no coordinates, say) keeps its ``fallback``.
    """
    table = prepare(frame.reset_index(drop=True))
    table["truth_label"] = frame[label_column].astype(str).to_numpy()
    model = settings(prior=prior_for(len(table)), parameters=None)
    api = database_api("duckdb")
    api._con.execute("SET threads = 1")
    linker = Linker(api.register(arrow(table)), model, log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    linker.training.estimate_m_from_label_column("truth_label")
    trained: dict[str, Any] = linker.misc.save_model_to_json()
    parameters: Parameters = {}
    for comparison in trained["comparisons"]:
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        parameters[comparison["output_column_name"]] = [
            [
                round(max(M_FLOOR, float(level.get("m_probability") or 0)), 6),
                round(max(U_FLOOR, float(level.get("u_probability") or 0)), 6),
            ]
            for level in levels
        ]
    for name, values in list(parameters.items()):
        empty = all(m <= M_FLOOR and u <= U_FLOOR for m, u in values)
        if empty and fallback is not None:
            parameters[name] = fallback[name]
    assert set(parameters) == set(LEVELS)
    return parameters


def write_parameters(parameters: Parameters, path: Path) -> None:
    path.write_text(json.dumps(parameters, indent=1) + "\n", encoding="utf-8")


def _trained(linker: Linker) -> dict[str, list[dict[str, Any]]]:
    trained: dict[str, Any] = linker.misc.save_model_to_json()
    return {
        comparison["output_column_name"]: [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        for comparison in trained["comparisons"]
    }


def parameters_for(table: pd.DataFrame, *, seed: int = 42) -> Parameters:
    """Shipped m with u measured on this prepared table, deterministically.

    How often non-matching records agree depends on the data (every record of a city list
    shares the city), so u is measured on a seeded sample of at most ``U_SAMPLE`` records,
    all of whose pairs are compared (in DuckDB; counts do not depend on threads): the same
    table gives the same u on every run and whatever backend then scores the pairs.
    """
    shipped = shipped_parameters()
    if len(table) <= SMALL_FILE:
        return shipped
    sample = table.sample(n=min(U_SAMPLE, len(table)), random_state=seed).sort_values("unique_id")
    api = database_api("duckdb")
    model = settings(prior=prior_for(len(sample)), parameters=None)
    linker = Linker(api.register(arrow(sample)), model, log_level=None)
    pairs = len(sample) * (len(sample) - 1) / 2
    linker.training.estimate_u_using_random_sampling(
        max_pairs=pairs + 1, seed=seed, min_count_per_level=None
    )
    measured = _trained(linker)
    share = prior_for(len(table))
    parameters: Parameters = {}
    for name, levels in shipped.items():
        parameters[name] = [
            [m, _non_match_share(level.get("u_probability"), m, share, fallback=u)]
            for (m, u), level in zip(levels, measured[name], strict=True)
        ]
    return without_country_bonus(parameters)


def _non_match_share(observed: Any, m: float, share: float, *, fallback: float) -> float:
    """u from the share of sampled pairs at a level, minus the matches among them.

    Observed = share * m + (1 - share) * u, where ``share`` (the prior) is the part of all
    pairs that match. On a small input the true duplicates are a visible part of the
    sample and would make an exact name look common; on a large one this changes nothing.
    """
    if observed is None:
        return fallback
    return round(max(U_FLOOR, (float(observed) - share * m) / (1.0 - share)), 8)


def without_country_bonus(parameters: Parameters) -> Parameters:
    """A shared country is no evidence (candidates are blocked by country and the city
    already agrees); only a different country counts, against the match."""
    (_, same_u), different = parameters["country"]
    return {**parameters, "country": [[same_u, same_u], different]}
