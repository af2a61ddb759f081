"""histogram@1: subjects per fixed bin of their clamped per-subject value."""

from laborcommons.answers.algorithms.base import Algorithm

ALGORITHM = Algorithm(
    name="histogram",
    version=1,
    roles=("subject", "value", "breakdowns", "bins"),
    needs_value=True,
    needs_bounds=True,
    dominance=False,
    made_safe=(
        "per-subject mean clamped to bounds, one bin per subject; threshold per group and per "
        "bin; secondary suppression of groups; Laplace(1/ε) per bin (bins are disjoint)"
    ),
    mechanism="laplace",
)
