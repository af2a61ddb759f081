"""Primary and secondary suppression: which cells may be published at all."""

from laborcommons.answers.safety.primary import CellStats, primary_reason
from laborcommons.answers.safety.secondary import suppress_secondary

__all__ = ["CellStats", "primary_reason", "suppress_secondary"]
