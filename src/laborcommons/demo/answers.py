"""The demo's safe answers: questions for anyone on the internal wage survey, and the open
"Wage indications per facility" published from one of them.

The survey (``garment-wage-survey-2025``) is internal: its rows never leave the union. Its
questions are answered for anyone with the node's defences; five in six factory visits
reached enough workers for their cells to publish, the rest are suppressed.
"""

from __future__ import annotations

from typing import Any

from laborcommons.demo.datasets import REFERENCE_WAGES, WAGES

PUBLISHED_SLUG = "wage-indications-per-facility"
PUBLISHED_TITLE = "Wage indications per facility"
FACILITY = ("factory_name", "country")


def _wage_question(name: str, algorithm: str) -> dict[str, Any]:
    return {
        "name": name,
        "algorithm": algorithm,
        "subject": "respondent_id",
        "value": "monthly_wage_usd",
        "breakdowns": [list(FACILITY), ["country"]],
        "bounds": [0, 800],
        "epsilon": 1.0,
        "audience": "anyone",
    }


QUESTIONS: tuple[dict[str, Any], ...] = (
    _wage_question("mean-wage", "mean"),
    _wage_question("median-wage", "median"),
    {
        "name": "below-living-wage",
        "algorithm": "share-below",
        "subject": "respondent_id",
        "value": "monthly_wage_local",
        "breakdowns": [["country"]],
        "below_column": f"{REFERENCE_WAGES.slug}:living_wage_estimate",
        "epsilon": 1.0,
        "audience": "anyone",
    },
)
"""What the union approved, in the shape of ``answers enable``'s options."""

SURVEY = WAGES.slug
