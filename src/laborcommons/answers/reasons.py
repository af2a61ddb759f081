"""Why a cell is hidden, in the words a reader understands: the one wording the answer
page, its chart and the rows of a published answer all use."""

from __future__ import annotations

REASONS = {
    "threshold": "fewer than {min_subjects} workers",
    "dominance": "one worker's wage dominates this group",
    "secondary": "hidden so the other hidden cell can't be worked out from the totals",
}


def explain(reason: str | None, *, min_subjects: int) -> str:
    """The plain words for a suppression reason (``""`` for a published cell)."""
    if reason is None:
        return ""
    return REASONS.get(reason, "hidden").format(min_subjects=min_subjects)
