"""median@1: median of per-subject values clamped to the bounds."""

from laborcommons.answers.algorithms.base import Algorithm

ALGORITHM = Algorithm(
    name="median",
    version=1,
    roles=("subject", "value", "breakdowns"),
    needs_value=True,
    needs_bounds=True,
    dominance=False,
    made_safe=(
        "per-subject mean clamped to bounds; threshold; secondary suppression; private "
        "quantile (exponential mechanism) over 101 candidates spanning the bounds"
    ),
    mechanism="exponential quantile",
)
