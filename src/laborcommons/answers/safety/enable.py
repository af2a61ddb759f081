"""Refuse, before enabling, a question whose answers could not be made safe."""

from __future__ import annotations

import itertools

from laborcommons.answers.algorithms import ALGORITHMS
from laborcommons.answers.spec import MIN_SUBJECTS_FLOOR, QuestionSpec
from laborcommons.core.errors import InvalidInput

NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "REAL")
NUMERIC_PREFIXES = (*NUMERIC, "DECIMAL", "NUMERIC", "UTINYINT", "USMALLINT", "UINTEGER")
NUMERIC_WORDS = ("INT", "FLOAT", "DOUBLE", "DECIMAL", "NUMERIC", "REAL", "NUMBER", "INTEGER")


def _refuse(reason: str, field: str) -> None:
    raise InvalidInput(reason, details={"field": field})


def chain(breakdowns: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """The allowed breakdowns coarsest first, with the overall total ``()`` at the root."""
    return sorted({(), *(tuple(b) for b in breakdowns)}, key=len)


def _numeric(kind: str) -> bool:
    upper = kind.upper()
    return upper.startswith(NUMERIC_PREFIXES) or any(word in upper for word in NUMERIC_WORDS)


def check_enableable(spec: QuestionSpec, columns: dict[str, str]) -> None:
    """Raise InvalidInput naming the field when a defense could not be guaranteed."""
    algorithm = ALGORITHMS.get(spec.algorithm)
    if algorithm is None:
        _refuse(f"Unknown algorithm {spec.algorithm!r}.", "algorithm")
        return
    if spec.algorithm_version != algorithm.version:
        _refuse(f"{spec.algorithm} has no version {spec.algorithm_version}.", "algorithm_version")
    _check_columns(spec, columns, algorithm.needs_value)
    _check_parameters(spec, algorithm.needs_bounds)
    _check_breakdowns(spec)


def _check_columns(spec: QuestionSpec, columns: dict[str, str], needs_value: bool) -> None:
    if spec.subject not in columns:
        _refuse(f"The subject column {spec.subject!r} is not in the dataset.", "subject")
    for breakdown in spec.breakdowns:
        for column in breakdown:
            if column == spec.subject:
                _refuse(
                    "The subject column cannot be a breakdown: it singles people out.", "breakdowns"
                )
            if column not in columns:
                _refuse(f"The breakdown column {column!r} is not in the dataset.", "breakdowns")
    if needs_value:
        if spec.value is None:
            _refuse(f"{spec.algorithm} needs a value column.", "value")
        elif spec.value not in columns:
            _refuse(f"The value column {spec.value!r} is not in the dataset.", "value")
        elif not _numeric(columns[spec.value]):
            _refuse(f"The value column {spec.value!r} is not numeric.", "value")
    below = spec.below_column
    if below is not None and (below not in columns or not _numeric(columns[below])):
        _refuse(
            f"The reference column {spec.below_column!r} is missing or not numeric.",
            "below_column",
        )


def _check_parameters(spec: QuestionSpec, needs_bounds: bool) -> None:
    if spec.min_subjects < MIN_SUBJECTS_FLOOR:
        _refuse(
            f"The minimum of distinct subjects is never below {MIN_SUBJECTS_FLOOR}.", "min_subjects"
        )
    if not spec.epsilon > 0:
        _refuse("Epsilon must be greater than 0.", "epsilon")
    if not 0 < spec.dominance_p <= 100:
        _refuse("The dominance p must be in (0, 100].", "dominance_p")
    if needs_bounds and spec.bounds is None:
        _refuse(f"{spec.algorithm} needs bounds: each value is clamped to them.", "bounds")
    if spec.bounds is not None and not spec.bounds[0] < spec.bounds[1]:
        _refuse("The bounds must be LO < HI.", "bounds")
    if spec.algorithm == "share-below" and (spec.below is None) == (spec.below_column is None):
        _refuse("share-below needs exactly one of a threshold or a reference column.", "below")
    if spec.algorithm == "histogram":
        bins = spec.bins or ()
        if len(bins) < 2 or any(b <= a for a, b in itertools.pairwise(bins)):
            _refuse("The bins must be at least two strictly increasing edges.", "bins")
    if spec.algorithm == "quantiles":
        quantiles = spec.quantiles or ()
        if not quantiles or any(not 0 < x < 1 for x in quantiles):
            _refuse("The quantiles must be between 0 and 1 (exclusive).", "quantiles")


def _check_breakdowns(spec: QuestionSpec) -> None:
    if not spec.breakdowns:
        _refuse(
            "At least one breakdown is needed (the empty one is the overall answer).", "breakdowns"
        )
    sets = [set(b) for b in spec.breakdowns]
    for i, first in enumerate(sets):
        for second in sets[i + 1 :]:
            if not (first <= second or second <= first):
                _refuse(
                    f"The breakdowns {sorted(first)} and {sorted(second)} are not nested: a cell "
                    "suppressed in one could be rebuilt from the other's margins, so secondary "
                    "suppression cannot protect it. Allow breakdowns that each refine the last.",
                    "breakdowns",
                )
            if first == second:
                _refuse("A breakdown is listed twice.", "breakdowns")
