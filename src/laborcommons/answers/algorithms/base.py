"""What every algorithm declares: its version, its column roles and how it is made safe."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Algorithm:
    """A versioned algorithm; the engine reads these flags to check and compute a spec.

    ``dominance`` marks sum-type statistics (the p% rule applies); ``needs_bounds`` marks
    those whose per-subject contribution must be clamped for noise to be calibrated.
    """

    name: str
    version: int
    roles: tuple[str, ...]
    needs_value: bool
    needs_bounds: bool
    dominance: bool
    made_safe: str
    mechanism: str
