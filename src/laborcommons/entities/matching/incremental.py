"""Linking new records to existing entities without re-clustering or renumbering them.

Only pairs *between* the new records and the existing entities are scored (splink's
``predict_between``), so a million existing entities cost one blocked join, not a
re-clustering; the new records that link to nothing are then grouped among themselves.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

import pandas as pd

from laborcommons.core.errors import BadRequest
from laborcommons.entities.matching.backends import Backend, Progress, predict_between
from laborcommons.entities.matching.model import Parameters, prior_against, settings
from laborcommons.entities.matching.pipeline import (
    LOWER_THRESHOLD,
    UPPER_THRESHOLD,
    cluster_table,
)
from laborcommons.entities.matching.prepare import check_columns, prepare
from laborcommons.entities.matching.results import (
    Candidate,
    FieldComparison,
    MatchResult,
    RecordMatch,
    Status,
)
from laborcommons.entities.matching.training import parameters_for

GIVEN = ("name", "address", "city", "postal_code", "country")
FIELDS = {
    "name": "name",
    "address": "address",
    "numbers": "address",
    "city": "city",
    "postal_code": "postal_code",
    "country": "country",
    "coordinates": None,
}


def _given(frame: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    for column in GIVEN:
        values = frame[column] if column in frame.columns else pd.Series(None, index=frame.index)
        table[f"given_{column}"] = [
            None
            if value is None or (isinstance(value, float) and math.isnan(value))
            else str(value)
            for value in values
        ]
    return table


def _split_tables(
    new_records: pd.DataFrame, existing_entities: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One prepared table (blocking keys see both sides), split back: existing rows first."""
    both = pd.concat([existing_entities, new_records], ignore_index=True, sort=False)
    table = _given(both, prepare(both))
    cut = len(existing_entities)
    return table.iloc[:cut].reset_index(drop=True), table.iloc[cut:].reset_index(drop=True)


def _fields(row: Any, labels: dict[str, list[str]]) -> tuple[FieldComparison, ...]:
    compared = []
    for name, given in FIELDS.items():
        gamma = int(getattr(row, f"gamma_{name}"))
        if gamma < 0:
            continue
        levels = labels[name]
        weight = float(getattr(row, f"mw_{name}"))
        compared.append(
            FieldComparison(
                field=name,
                new=getattr(row, f"given_{given}_r") if given else None,
                existing=getattr(row, f"given_{given}_l") if given else None,
                level=levels[len(levels) - 1 - gamma],
                weight=round(weight, 3),
            )
        )
    return tuple(compared)


def _candidates(
    pairs: pd.DataFrame,
    labels: dict[str, list[str]],
    entity_ids: list[str],
    new_ids: list[str],
    *,
    offset: int,
    max_candidates: int,
    cannot_link: Collection[tuple[str, str]],
) -> dict[str, list[Candidate]]:
    pairs = pairs.assign(
        entity_id=[entity_ids[i] for i in pairs["unique_id_l"]],
        new_id=[new_ids[i - offset] for i in pairs["unique_id_r"]],
    )
    rejected = set(cannot_link)
    if rejected:
        # a boolean Series selects rows even when empty (an empty list would select columns)
        keep = pd.Series(
            [
                (n, e) not in rejected
                for n, e in zip(pairs["new_id"], pairs["entity_id"], strict=True)
            ],
            index=pairs.index,
            dtype=bool,
        )
        pairs = pairs.loc[keep]
    pairs = pairs.sort_values(
        ["new_id", "match_weight", "entity_id", "unique_id_l"],
        ascending=[True, False, True, True],
        kind="stable",
    ).drop_duplicates(["new_id", "entity_id"])
    found: dict[str, list[Candidate]] = {}
    row: Any
    for row in pairs.itertuples(index=False):
        ranked = found.setdefault(row.new_id, [])
        if len(ranked) < max_candidates:
            ranked.append(
                Candidate(
                    entity_id=row.entity_id,
                    match_probability=round(float(row.match_probability), 6),
                    match_weight=round(float(row.match_weight), 4),
                    fields=_fields(row, labels),
                )
            )
    return found


def _status(candidates: list[Candidate], upper: float, lower: float) -> Status:
    best = candidates[0].match_probability if candidates else 0.0
    if best >= upper:
        return "linked"
    return "review" if best >= lower else "new"


def match_against(
    new_records: pd.DataFrame,
    existing_entities: pd.DataFrame,
    *,
    upper: float = UPPER_THRESHOLD,
    lower: float = LOWER_THRESHOLD,
    max_candidates: int = 3,
    cannot_link: Collection[tuple[str, str]] = (),
    backend: Backend = "duckdb",
    spark: Any = None,
    parameters: Parameters | None = None,
    progress: Progress | None = None,
) -> MatchResult:
    """Rank existing entities for each new record and say linked / review / new.

    ``existing_entities`` has one row per known name/address of an entity, ``id`` being the
    entity id (it may repeat). ``cannot_link`` holds ``(new id, entity id)`` pairs a human
    rejected: they are never candidates. Existing entities are only read, never re-grouped:
    their ids come back as given. Records that are not linked are grouped among themselves
    (``new_group``) at the ``upper`` threshold.
    """
    if not 0.0 <= lower <= upper <= 1.0:
        raise BadRequest(f"thresholds must satisfy 0 <= lower <= upper <= 1 (got {lower}, {upper})")
    check_columns(new_records, what="new records")
    if "id" not in existing_entities.columns or "name" not in existing_entities.columns:
        check_columns(existing_entities, what="existing entities")
    report = progress or (lambda message: None)
    new_ids = new_records["id"].astype(str).str.strip().tolist()
    entity_ids = existing_entities["id"].astype(str).str.strip().tolist()
    report(f"normalizing {len(new_ids):,} new and {len(entity_ids):,} existing records")
    existing, new = _split_tables(
        new_records.drop(columns=["source"], errors="ignore"),
        existing_entities.drop(columns=["source"], errors="ignore"),
    )
    found: dict[str, list[Candidate]] = {}
    if len(existing) and len(new):
        report("scoring new records against existing entities")
        model = settings(
            prior=prior_against(len(existing)),
            parameters=parameters or parameters_for(existing),
            retain=tuple(f"given_{column}" for column in GIVEN),
        )
        pairs, labels = predict_between(
            existing, new, model, threshold=lower, backend=backend, spark=spark
        )
        found = _candidates(
            pairs,
            labels,
            entity_ids,
            new_ids,
            offset=len(existing),
            max_candidates=max_candidates,
            cannot_link=cannot_link,
        )
    statuses = [_status(found.get(i, []), upper, lower) for i in new_ids]
    groups = _new_groups(new, new_ids, statuses, upper, backend, spark, parameters)
    report("done")
    return MatchResult(
        records=tuple(
            RecordMatch(id=i, status=s, candidates=tuple(found.get(i, [])), new_group=g)
            for i, s, g in zip(new_ids, statuses, groups, strict=True)
        )
    )


def _new_groups(
    new: pd.DataFrame,
    new_ids: list[str],
    statuses: list[Status],
    upper: float,
    backend: Backend,
    spark: Any,
    parameters: Parameters | None,
) -> list[str | None]:
    """Among the records not linked, those that match each other form one new entity."""
    open_rows = [index for index, status in enumerate(statuses) if status != "linked"]
    if not open_rows:
        return [None] * len(new_ids)
    table = new.iloc[open_rows].reset_index(drop=True)
    table["unique_id"] = range(len(table))
    roots = cluster_table(
        table, threshold=upper, backend=backend, spark=spark, parameters=parameters
    )
    members = pd.Series([new_ids[row] for row in open_rows])
    smallest = members.groupby(roots).transform("min")
    groups: list[str | None] = [None] * len(new_ids)
    for row, group in zip(open_rows, smallest, strict=True):
        groups[row] = str(group)
    return groups
