"""count@1: distinct subjects per cell."""

from laborcommons.answers.algorithms.base import Algorithm

ALGORITHM = Algorithm(
    name="count",
    version=1,
    roles=("subject", "breakdowns"),
    needs_value=False,
    needs_bounds=False,
    dominance=False,
    made_safe="distinct subjects; threshold; secondary suppression; Laplace(1/ε) per count",
    mechanism="laplace",
)
