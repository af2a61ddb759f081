"""Record linkage for entities: normalization and a splink pipeline (no database needed).

Public surface (the entities service calls only these):

- ``cluster_records(frame, *, backend="duckdb", threshold=CLUSTER_THRESHOLD, spark=None,
  parameters=None, progress=None) -> pandas.DataFrame`` with columns ``source, id,
  cluster_id`` (input order; ``cluster_id`` = "C" + 12 hex digits).
- ``match_against(new_records, existing_entities, *, upper=UPPER_THRESHOLD,
  lower=LOWER_THRESHOLD, max_candidates=3, cannot_link=(), backend="duckdb", spark=None,
  parameters=None, progress=None) -> MatchResult`` (one ``RecordMatch`` per new record).
- ``normalize_name``, ``normalize_address``, ``country_code``, ``transliterate``.

Input frames (pandas) have the columns ``id`` (str) and ``name``; optional ``address``,
``city``, ``postal_code``, ``country`` (code or name in any common spelling), ``latitude``,
``longitude``, ``source``. In ``existing_entities``, ``id`` is the entity id and may repeat
(one row per known name/address of the entity).
"""

from __future__ import annotations

from laborcommons.entities.matching.incremental import match_against
from laborcommons.entities.matching.normalize import (
    country_code,
    normalize_address,
    normalize_name,
    transliterate,
)
from laborcommons.entities.matching.pipeline import (
    CLUSTER_THRESHOLD,
    LOWER_THRESHOLD,
    UPPER_THRESHOLD,
    cluster_records,
)
from laborcommons.entities.matching.results import (
    Candidate,
    FieldComparison,
    MatchResult,
    RecordMatch,
)

__all__ = [
    "CLUSTER_THRESHOLD",
    "LOWER_THRESHOLD",
    "UPPER_THRESHOLD",
    "Candidate",
    "FieldComparison",
    "MatchResult",
    "RecordMatch",
    "cluster_records",
    "country_code",
    "match_against",
    "normalize_address",
    "normalize_name",
    "transliterate",
]
