"""What matching returns: per new record, its status, ranked candidates and their evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

Status = Literal["linked", "review", "new"]


@dataclass(frozen=True)
class FieldComparison:
    """One field of a candidate pair as a reviewer sees it.

    ``level`` is the comparison level's label (e.g. "Jaro-Winkler >= 0.92"), ``weight`` its
    log2 Bayes factor: positive pushes towards a match, negative away from it.
    """

    field: str
    new: str | None
    existing: str | None
    level: str
    weight: float


@dataclass(frozen=True)
class Candidate:
    """An existing entity a new record may be; the best-scoring of its rows."""

    entity_id: str
    match_probability: float
    match_weight: float
    fields: tuple[FieldComparison, ...] = ()


@dataclass(frozen=True)
class RecordMatch:
    """The verdict on one new record.

    ``status`` is ``linked`` (best candidate >= upper threshold), ``review`` (between the
    thresholds) or ``new``. ``new_group`` groups the records that are not linked among
    themselves: records with the same ``new_group`` are one new entity (it is the smallest
    ``id`` of the group, so it is deterministic).
    """

    id: str
    status: Status
    candidates: tuple[Candidate, ...] = ()
    new_group: str | None = None

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class MatchResult:
    """One ``RecordMatch`` per new record, in input order."""

    records: tuple[RecordMatch, ...] = field(default_factory=tuple)

    def frame(self) -> pd.DataFrame:
        """A flat table: id, status, entity_id, match_probability, match_weight, new_group."""
        rows = [
            {
                "id": record.id,
                "status": record.status,
                "entity_id": record.best.entity_id if record.best else None,
                "match_probability": record.best.match_probability if record.best else None,
                "match_weight": record.best.match_weight if record.best else None,
                "new_group": record.new_group,
            }
            for record in self.records
        ]
        columns = ["id", "status", "entity_id", "match_probability", "match_weight", "new_group"]
        return pd.DataFrame(rows, columns=columns)
