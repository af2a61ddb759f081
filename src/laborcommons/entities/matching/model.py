"""The splink model: blocking rules, comparisons and their shipped m/u parameters.

The parameters live in ``parameters.json`` (estimated once on labeled data, see
docs/matching.md), so every node gives the same answer on every run; ``settings`` can be
given other parameters (for example re-estimated with EM) without changing the code.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl

PARAMETERS_PATH = Path(__file__).with_name("parameters.json")
Parameters = dict[str, list[list[float]]]
COUNTRY_COMPATIBLE = "(l.country = r.country OR l.country IS NULL OR r.country IS NULL)"
BLOCKING_KEYS = ("block_rare1", "block_rare2", "block_prefix", "block_numbers")


def blocking_rules() -> list[str]:
    """Candidate pairs share a rare name word, a name prefix or the address numbers, and
    their countries agree or one is missing (so a list without countries still matches)."""
    return [f"l.{key} = r.{key} AND {COUNTRY_COMPATIBLE}" for key in BLOCKING_KEYS]


def _name() -> list[Any]:
    either = cll.Or(cll.JaroWinklerLevel("name_compact", 0.95), cll.ExactMatchLevel("name_sorted"))
    return [
        cll.NullLevel("name_compact"),
        cll.ExactMatchLevel("name_compact").configure(label_for_charts="same name"),
        either.configure(label_for_charts="name Jaro-Winkler >= 0.95 or same words"),
        cll.JaroWinklerLevel("name_compact", 0.88),
        cll.ArrayIntersectLevel("name_tokens", 2).configure(label_for_charts="2+ name words"),
        cll.Or(
            cll.JaroWinklerLevel("name_compact", 0.75), cll.ArrayIntersectLevel("name_tokens", 1)
        ).configure(label_for_charts="name Jaro-Winkler >= 0.75 or a shared word"),
        cll.ElseLevel(),
    ]


def _address() -> list[Any]:
    return [
        cll.NullLevel("address_norm"),
        cll.ExactMatchLevel("address_norm").configure(label_for_charts="same address"),
        cll.JaroWinklerLevel("address_norm", 0.92),
        cll.ArrayIntersectLevel("address_tokens", 3).configure(label_for_charts="3+ words"),
        cll.ArrayIntersectLevel("address_tokens", 1).configure(label_for_charts="a shared word"),
        cll.ElseLevel(),
    ]


def _numbers() -> list[Any]:
    return [
        cll.NullLevel("numbers"),
        cll.And(cll.ExactMatchLevel("numbers"), cll.CustomLevel("numbers_count_l >= 2")).configure(
            label_for_charts="same numbers (2+)"
        ),
        cll.ArrayIntersectLevel("numbers", 2).configure(label_for_charts="2+ shared numbers"),
        cll.ArrayIntersectLevel("numbers", 1).configure(label_for_charts="a shared number"),
        cll.ElseLevel().configure(label_for_charts="no shared number"),
    ]


def _city() -> list[Any]:
    return [
        cll.NullLevel("city"),
        cll.ExactMatchLevel("city"),
        cll.JaroWinklerLevel("city", 0.9),
        cll.ElseLevel(),
    ]


def _postal() -> list[Any]:
    return [cll.NullLevel("postal_code"), cll.ExactMatchLevel("postal_code"), cll.ElseLevel()]


def _country() -> list[Any]:
    return [cll.NullLevel("country"), cll.ExactMatchLevel("country"), cll.ElseLevel()]


def _coordinates() -> list[Any]:
    return [
        cll.Or(cll.NullLevel("latitude"), cll.NullLevel("longitude")),
        cll.DistanceInKMLevel("latitude", "longitude", 0.2),
        cll.DistanceInKMLevel("latitude", "longitude", 2),
        cll.DistanceInKMLevel("latitude", "longitude", 20),
        cll.ElseLevel(),
    ]


LEVELS = {
    "name": _name,
    "address": _address,
    "numbers": _numbers,
    "city": _city,
    "postal_code": _postal,
    "country": _country,
    "coordinates": _coordinates,
}


SMALL_FILE = 50
"""Up to this many records a file is small: it is scored with the shipped parameters and
the prior of a file of this size, so a pair's verdict does not depend on the rows around it."""


def prior_for(records: float) -> float:
    """The probability that two random records match when each has about one partner; a
    small file counts as ``SMALL_FILE`` records (two rows are not a 1-in-2 chance)."""
    return float(max(1e-9, 1.0 / max(records, SMALL_FILE)))


def prior_against(entities: float) -> float:
    """The probability that a new record is one given existing entity, when it is about
    one of them: 1 in their number. Unlike ``prior_for`` it is not floored at a file of
    ``SMALL_FILE``: a node with six facilities is a 1-in-6 chance for each, and flooring it
    sent a same-name, other-address pair past review straight to a new duplicate."""
    return float(min(0.5, max(1e-9, 1.0 / max(entities, 2.0))))


@lru_cache(maxsize=1)
def shipped_parameters() -> Parameters:
    """The m/u pairs of every non-null level, per comparison, as shipped in the package."""
    parameters: Parameters = json.loads(PARAMETERS_PATH.read_text(encoding="utf-8"))
    return parameters


def comparisons(parameters: Parameters | None = None) -> list[Any]:
    """Splink comparisons with their m/u fixed (None: untrained, for estimation)."""
    built = []
    for name, levels_of in LEVELS.items():
        levels = levels_of()
        levels[0] = levels[0].configure(is_null_level=True)
        if parameters is not None:
            for level, (m, u) in zip(levels[1:], parameters[name], strict=True):
                level.configure(m_probability=m, u_probability=u)
        built.append(cl.CustomComparison(levels, output_column_name=name))
    return built


def settings(
    *, prior: float, parameters: Parameters | None = None, retain: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A splink settings dict for a dedupe of one prepared table."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "blocking_rules_to_generate_predictions": blocking_rules(),
        "comparisons": comparisons(parameters if parameters is not None else None),
        "retain_matching_columns": bool(retain),
        "retain_intermediate_calculation_columns": True,  # mw_name: see pipeline.score
        "additional_columns_to_retain": list(retain),
    }
