"""The demo's safe answers: questions for anyone on the internal wage survey, and the open
"Wage indications per facility" published from one of them (``facility-mean-wage``: a
mean per facility the union answers with epsilon 8, less private and more precise than
its other questions, so its figures can check the facilities' own declarations).

The survey (``garment-wage-survey-2025``) is internal: its rows never leave the union. Its
questions are answered for anyone with the node's defences; five in six factory visits
reached enough workers for their cells to publish, the rest are suppressed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from laborcommons.access import NODE_ADMIN
from laborcommons.answers import service as answers
from laborcommons.answers.noise import OpenDPNoise
from laborcommons.answers.schemas import QuestionCreate
from laborcommons.catalog import service as catalog
from laborcommons.core.node import Node
from laborcommons.demo.datasets import REFERENCE_WAGES, WAGES
from laborcommons.demo.wages import BOUNDS_USD

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


PUBLISHED_QUESTION = "facility-mean-wage"
QUESTIONS: tuple[dict[str, Any], ...] = (
    _wage_question("mean-wage", "mean"),
    _wage_question("median-wage", "median"),
    {  # published per facility to sit beside the facilities' own declarations (evidence)
        **_wage_question(PUBLISHED_QUESTION, "mean"),
        "breakdowns": [list(FACILITY)],
        "bounds": list(BOUNDS_USD),
        "epsilon": 8.0,
        "budget": 16.0,
    },
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


def seed_answers(*, node: Node, session: Session) -> list[str]:
    """Enable the union's questions and publish the open wage indications, through the
    services owners call; idempotent (enabled questions are kept, and an unchanged cached
    answer adds no version). The noise is the node's own (OpenDP, never seeded)."""
    survey = catalog.get_dataset(SURVEY, reader=NODE_ADMIN, session=session)
    enabled = {q.name for q in answers.list_questions(SURVEY, reader=NODE_ADMIN, session=session)}
    for options in QUESTIONS:
        if options["name"] not in enabled:
            data = QuestionCreate.model_validate(options)
            answers.enable_question(SURVEY, data, reader=NODE_ADMIN, session=session)
    request = answers.PublishRequest(
        by=list(FACILITY),
        slug=PUBLISHED_SLUG,
        license="CC-BY-4.0",
        access="open",
        title=PUBLISHED_TITLE,
    )
    published = answers.publish_question(
        SURVEY,
        PUBLISHED_QUESTION,
        request,
        reader=NODE_ADMIN,
        node=node,
        session=session,
        noise=OpenDPNoise(),
    )
    return [
        f"Safe answers: {len(QUESTIONS)} questions for anyone on {survey.slug}; "
        f"{PUBLISHED_TITLE!r} ({published.dataset}) has {published.rows} facilities, "
        f"{published.suppressed} suppressed."
    ]
