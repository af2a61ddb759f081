"""The registry of versioned algorithms, keyed by the name an owner enables."""

from laborcommons.answers.algorithms import count, histogram, mean, median, quantiles, share_below
from laborcommons.answers.algorithms.base import Algorithm

ALGORITHMS: dict[str, Algorithm] = {
    module.ALGORITHM.name: module.ALGORITHM
    for module in (count, mean, median, share_below, histogram, quantiles)
}

__all__ = ["ALGORITHMS", "Algorithm"]
