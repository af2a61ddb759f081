"""An answer as a reader sees it: each cell's reason in plain words, bars drawn in SVG.

Pure functions over the API's answer shape, so the page, its tests and the browser test
agree on the words without a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from laborcommons.answers.reasons import explain


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    explanation: str
    bar: int  # percent of the largest published value; 0 when suppressed


def _label(group: Mapping[str, Any], by: Sequence[str]) -> str:
    keys = list(by) or list(group)
    return " · ".join(str(group.get(key, "")) for key in keys) or "All"


def answer_rows(answer: Mapping[str, Any], *, min_subjects: int) -> list[Row]:
    """Table and chart rows in the answer's order; bars scale to the largest value."""
    cells = answer["cells"]
    top = max((abs(c["value"]) for c in cells if c["value"] is not None), default=0.0)
    rows = []
    for cell in cells:
        value = cell["value"]
        shown = value is not None and not cell["suppressed"]
        rows.append(
            Row(
                label=_label(cell["group"], answer.get("by", [])),
                value=f"{value:,.2f}" if shown else "hidden",
                explanation=explain(cell["reason"], min_subjects=min_subjects)
                if cell["suppressed"]
                else "",
                bar=round(100 * abs(value) / top) if shown and top else 0,
            )
        )
    return rows


def noise_words(noise: Mapping[str, Any]) -> str:
    return (
        f"±{noise['error_95']:,.2f} at 95% ({noise['mechanism']} noise, "
        f"epsilon {noise['epsilon']:g})"
    )
