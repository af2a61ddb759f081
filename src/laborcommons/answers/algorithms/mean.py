"""mean@1: mean of per-subject means, each clamped to the bounds."""

from laborcommons.answers.algorithms.base import Algorithm

ALGORITHM = Algorithm(
    name="mean",
    version=1,
    roles=("subject", "value", "breakdowns"),
    needs_value=True,
    needs_bounds=True,
    dominance=True,
    made_safe=(
        "per-subject mean clamped to bounds; threshold; p% dominance; secondary suppression; "
        "noisy sum / noisy count, ε split in halves"
    ),
    mechanism="laplace sum/count",
)
