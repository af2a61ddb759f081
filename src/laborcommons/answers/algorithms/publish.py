"""Calibrated noise on every published statistic, one vector call per statistic.

Error at 95% is stated for the worst case: the smallest published cell (the noise on a
count is the same for every cell; on a mean or share it shrinks as the cell grows).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from laborcommons.answers.noise import laplace_error_95
from laborcommons.answers.spec import Noise, NoiseSource, QuestionSpec

LN20 = math.log(20)
# A sum is noised in integer units of reach / 2**20: the discrete mechanism is exact and
# fast, and rounding the true sum to a unit moves it by at most one unit, which the
# sensitivity below adds (2**20 + 1 units), so the guarantee is the float mechanism's.
UNITS = 2**20


def laplace_many(noise: NoiseSource, values: Sequence[float], scale: float) -> np.ndarray:
    """Use the source's vector call when it has one (OpenDP: one measurement for all)."""
    many = getattr(noise, "laplace_many", None)
    if many is not None:
        return np.asarray(many(values, scale=scale), dtype=float)
    return np.asarray([noise.laplace(float(v), scale=scale) for v in values], dtype=float)


def laplace_ints(noise: NoiseSource, values: Sequence[int], scale: float) -> np.ndarray:
    """Discrete Laplace when the source has it (OpenDP), else the float one rounded."""
    ints = getattr(noise, "laplace_ints", None)
    if ints is not None:
        return np.asarray(ints(values, scale=scale), dtype=float)
    return np.asarray(np.rint(laplace_many(noise, values, scale)), dtype=float)


def noisy_counts(
    noise: NoiseSource, counts: Sequence[int], epsilon: float
) -> tuple[np.ndarray, Noise]:
    """Each subject is in one cell of a breakdown: Laplace(1/ε) per count."""
    noisy = np.maximum(laplace_ints(noise, counts, 1.0 / epsilon), 0.0)
    return noisy, Noise("laplace", epsilon, laplace_error_95(1.0 / epsilon))


def noisy_sums(
    noise: NoiseSource, totals: Sequence[float], reach: float, epsilon: float
) -> np.ndarray:
    """Sums of per-subject values within ±reach, noised in integer units (``UNITS``)."""
    if reach <= 0:
        return np.asarray(totals, dtype=float)
    unit = reach / UNITS
    units = [round(float(total) / unit) for total in totals]
    return laplace_ints(noise, units, (UNITS + 1) / epsilon) * unit


def noisy_means(
    noise: NoiseSource, spec: QuestionSpec, counts: Sequence[int], totals: Sequence[float]
) -> tuple[np.ndarray, Noise]:
    """Noisy clamped sum over noisy count, ε split in halves."""
    low, high = spec.bounds or (0.0, 0.0)
    reach = max(abs(low), abs(high))
    half = spec.epsilon / 2
    count = np.maximum(laplace_ints(noise, counts, 1.0 / half), 1.0)
    total = noisy_sums(noise, totals, reach, half)
    smallest = min(counts, default=spec.min_subjects)
    error = (LN20 * reach * (UNITS + 1) / UNITS / half + reach * LN20 / half) / max(smallest, 1)
    mean = np.clip(total / count, low, high)
    return mean, Noise("laplace sum/count", spec.epsilon, error)


def noisy_shares(
    noise: NoiseSource, spec: QuestionSpec, counts: Sequence[int], below: Sequence[int]
) -> tuple[np.ndarray, Noise]:
    """Noisy count below over noisy count, ε split in halves."""
    half = spec.epsilon / 2
    count = np.maximum(laplace_ints(noise, counts, 1.0 / half), 1.0)
    under = laplace_ints(noise, below, 1.0 / half)
    smallest = min(counts, default=spec.min_subjects)
    error = 2 * LN20 / half / max(smallest, 1)
    return np.clip(under / count, 0.0, 1.0), Noise("laplace count-below/count", spec.epsilon, error)


def noisy_quantiles(
    noise: NoiseSource, spec: QuestionSpec, values: Sequence[Sequence[float]]
) -> tuple[list[list[float]], Noise]:
    """Private quantile over 101 candidates spanning the bounds; ε split among quantiles.

    ``error_95`` is in ranks (subjects) around the true quantile, not in value units."""
    alphas = _alphas(spec)
    low, high = spec.bounds or (0.0, 1.0)
    candidates = list(np.linspace(low, high, 101))
    share = spec.epsilon / len(alphas)
    results = [
        [_quantile(noise, cell, candidates, alpha, share) for alpha in alphas] for cell in values
    ]
    error = 2 * math.log(len(candidates) / 0.05) / share
    return results, Noise("exponential quantile (error_95 in ranks)", spec.epsilon, error)


def _alphas(spec: QuestionSpec) -> tuple[float, ...]:
    return (0.5,) if spec.algorithm == "median" else tuple(spec.quantiles or (0.5,))


def _quantile(
    noise: NoiseSource, values: Sequence[float], candidates: list[float], alpha: float, eps: float
) -> float:
    chosen: Any = getattr(noise, "quantile", None)
    if chosen is None:
        return _noisy_max_quantile(noise, values, candidates, alpha, eps)
    return float(chosen(values, candidates=candidates, alpha=alpha, epsilon=eps))


def _noisy_max_quantile(
    noise: NoiseSource, values: Sequence[float], candidates: list[float], alpha: float, eps: float
) -> float:
    """Report-noisy-max with Laplace noise, for a source with only ``laplace``."""
    ordered = np.sort(np.asarray(values, dtype=float))
    grid = np.asarray(candidates)
    below = np.searchsorted(ordered, grid, side="left")
    above = len(ordered) - np.searchsorted(ordered, grid, side="right")
    score = -np.abs((1 - alpha) * below - alpha * above)
    return float(grid[int(np.argmax(laplace_many(noise, list(score), 2.0 / eps)))])
