"""Triangulation: every source's value for one entity x metric x period, a consensus, the
spread, and which sources deviate, said in plain words. Pure functions over the sources
a reader may see (the service decides visibility first), so no hidden value can shape
what a reader is shown: not even the consensus.

The rules (docs/evidence.md has worked examples):

- Each source weighs ``METHOD_WEIGHT[method] x VERIFICATION_WEIGHT[verification]``:
  payslips and government records count most, self-declarations and media least, and a
  flagged answer counts nothing (it is still shown, and still checked against the rest).
- Numbers: the consensus is the weighted median (robust: one wild source cannot drag it;
  when the weights split exactly in half, the two middle values are averaged). A source
  deviates when it is outside the metric's tolerance from the consensus (relative: a
  fraction of it; absolute: in the metric's unit) and, with three or more weighted sources
  whose values vary, when it is also an outlier by the robust z-score
  ``0.6745 (x - median) / MAD`` with ``|z| > 3.5`` (Iglewicz and Hoaglin).
- Yes/no and categories: the consensus is the value with the most weight (none on a tie);
  a source deviates when it says something else.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from laborcommons.evidence.schemas import MetricPublic

METHOD_WEIGHT = {
    "payslip": 1.0,
    "government-record": 0.9,
    "third-party-audit": 0.8,
    "worker-survey": 0.8,
    "self-declared": 0.5,
    "media": 0.4,
    "other": 0.3,
}
VERIFICATION_WEIGHT = {
    "steward-verified": 1.5,
    "community-verified": 1.2,
    "unverified": 1.0,
    "flagged": 0.0,
}
SOURCE_NAMES = {
    "payslip": "the payslips",
    "government-record": "the government record",
    "third-party-audit": "the audit",
    "worker-survey": "the worker survey",
    "self-declared": "the self-declaration",
    "media": "the media report",
    "other": "another source",
}
DEFAULT_TOLERANCE = 0.1
Z_LIMIT = 3.5
Z_SCALE = 0.6745


@dataclass
class Source:
    """One answer as triangulation sees it (``label`` names its dataset and version)."""

    value: float | str | None
    method: str
    verification: str
    label: str
    weight: float = 0.0
    deviates: bool = False
    deviation: float | None = None


@dataclass
class Outcome:
    consensus: float | str | None
    spread: float | None
    deviates: bool
    explanation: str


def weight_of(method: str, verification: str) -> float:
    return METHOD_WEIGHT.get(method, METHOD_WEIGHT["other"]) * VERIFICATION_WEIGHT[verification]


def weighted_median(pairs: list[tuple[float, float]]) -> float | None:
    """The value where half the weight lies on each side (average of two on an exact split)."""
    pairs = sorted((v, w) for v, w in pairs if w > 0)
    total = sum(w for _, w in pairs)
    if not pairs:
        return None
    running = 0.0
    for index, (value, weight) in enumerate(pairs):
        running += weight
        if abs(running - total / 2) < 1e-12 and index + 1 < len(pairs):
            return (value + pairs[index + 1][0]) / 2
        if running > total / 2:
            return value
    return pairs[-1][0]


def _outside(value: float, consensus: float, metric: MetricPublic) -> tuple[bool, float | None]:
    tolerance = metric.tolerance if metric.tolerance is not None else DEFAULT_TOLERANCE
    relative = (value - consensus) / abs(consensus) if consensus else None
    if metric.tolerance_kind == "absolute":
        return abs(value - consensus) > tolerance, relative
    if relative is None:
        return value != consensus, None
    return abs(relative) > tolerance, relative


def _numbers(sources: list[Source], metric: MetricPublic) -> Outcome:
    weighted = [s for s in sources if s.weight > 0 and isinstance(s.value, float | int)]
    values = [float(s.value) for s in sources if isinstance(s.value, float | int)]
    spread = max(values) - min(values) if values else None
    consensus = weighted_median([(float(s.value), s.weight) for s in weighted])  # type: ignore[arg-type]
    if consensus is None:
        return Outcome(None, spread, False, "every source is flagged: no consensus")
    plain = [float(s.value) for s in weighted]  # type: ignore[arg-type]
    median = statistics.median(plain)
    mad = statistics.median(abs(v - median) for v in plain)
    for source in sources:
        if not isinstance(source.value, float | int):
            continue
        outside, source.deviation = _outside(float(source.value), consensus, metric)
        if outside and len(weighted) >= 3 and mad > 0:
            outside = abs(Z_SCALE * (float(source.value) - median) / mad) > Z_LIMIT
        source.deviates = outside
    return Outcome(consensus, spread, any(s.deviates for s in sources), "")


def _categories(sources: list[Source]) -> Outcome:
    weights: dict[str, float] = {}
    for source in sources:
        if source.value is not None and source.weight > 0:
            key = str(source.value)
            weights[key] = weights.get(key, 0.0) + source.weight
    if not weights:
        return Outcome(None, None, False, "every source is flagged: no consensus")
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        for source in sources:
            source.deviates = source.value is not None
        return Outcome(None, None, True, "the sources disagree and weigh the same")
    consensus = ranked[0][0]
    for source in sources:
        source.deviates = source.value is not None and str(source.value) != consensus
    return Outcome(consensus, None, any(s.deviates for s in sources), "")


def shown(value: float | str | None, metric: MetricPublic) -> str:
    """A value as the explanation writes it: yes/no, a share in %, a number with its unit."""
    if value is None:
        return "nothing"
    if metric.value_type == "boolean":
        return "yes" if float(value) >= 0.5 else "no"
    if isinstance(value, str):
        return value
    if metric.value_type == "share":
        return f"{value * 100:.0f}%"
    unit = f" {metric.unit}" if metric.unit and metric.unit != "0-100" else ""
    return f"{value:,.2f}{unit}" if abs(value) < 1000 else f"{value:,.0f}{unit}"


def explain(sources: list[Source], outcome: Outcome, metric: MetricPublic) -> str:
    """The biggest disagreement in one sentence, against the weightiest agreeing source."""
    deviating = [s for s in sources if s.deviates]
    if outcome.explanation or not deviating:
        return outcome.explanation or f"{len(sources)} source(s) agree within the tolerance"
    agreeing = sorted((s for s in sources if not s.deviates), key=lambda s: -s.weight)
    worst = max(deviating, key=lambda s: abs(s.deviation or 0.0))
    name = f"{SOURCE_NAMES.get(worst.method, 'a source')} ({worst.label})"
    said = f"{name} says {shown(worst.value, metric)}"
    if not agreeing:
        return f"{said}; the consensus is {shown(outcome.consensus, metric)}"
    reference = agreeing[0]
    other = f"{SOURCE_NAMES.get(reference.method, 'a source')} ({reference.label})"
    if (
        isinstance(worst.value, float | int)
        and isinstance(reference.value, float | int)
        and metric.value_type not in ("boolean", "category")
        and reference.value
    ):
        change = (float(worst.value) - float(reference.value)) / abs(float(reference.value))
        direction = "above" if change > 0 else "below"
        return (
            f"{name} gives {shown(worst.value, metric)}, {abs(change):.0%} {direction} "
            f"{other} at {shown(reference.value, metric)}"
        )
    return f"{said}; {other} says {shown(reference.value, metric)}"


def triangulate(sources: list[Source], metric: MetricPublic) -> Outcome:
    """Weigh, find the consensus and the deviations, explain; sets each source's fields."""
    for source in sources:
        source.weight = round(weight_of(source.method, source.verification), 4)
    numeric = metric.value_type in ("number", "share", "score")
    outcome = _numbers(sources, metric) if numeric else _categories(sources)
    if metric.value_type == "boolean" and isinstance(outcome.consensus, str):
        outcome.consensus = float(outcome.consensus)
    outcome.explanation = explain(sources, outcome, metric)
    return outcome
