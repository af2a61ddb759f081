"""quantiles@1: fixed quantiles of per-subject values clamped to the bounds."""

from laborcommons.answers.algorithms.base import Algorithm

ALGORITHM = Algorithm(
    name="quantiles",
    version=1,
    roles=("subject", "value", "breakdowns", "quantiles"),
    needs_value=True,
    needs_bounds=True,
    dominance=False,
    made_safe=(
        "per-subject mean clamped to bounds; threshold; secondary suppression; private "
        "quantile per requested quantile, ε split evenly among them"
    ),
    mechanism="exponential quantile",
)
