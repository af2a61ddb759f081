"""share-below@1: share of subjects whose value is below a threshold or reference column."""

from laborcommons.answers.algorithms.base import Algorithm

ALGORITHM = Algorithm(
    name="share-below",
    version=1,
    roles=("subject", "value", "breakdowns", "below_column"),
    needs_value=True,
    needs_bounds=False,
    dominance=False,
    made_safe=(
        "per-subject mean compared once; threshold; secondary suppression; noisy count below "
        "/ noisy count, ε split in halves"
    ),
    mechanism="laplace count-below/count",
)
