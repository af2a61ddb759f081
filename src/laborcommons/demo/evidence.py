"""The demo's evidence: the facilities' self-declared wages beside the worker survey's
safe answers (the published wage indications) and their country's living-wage estimate.

Mapping runs through the service owners call; running it again adds nothing. The
deviations it lists can be checked against ``truth/wage_declarations.csv``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import NODE_ADMIN
from laborcommons.catalog import service as catalog
from laborcommons.core.node import Node
from laborcommons.demo.answers import PUBLISHED_SLUG
from laborcommons.demo.datasets import DECLARATIONS, WAGES
from laborcommons.demo.models import DemoBundle
from laborcommons.entities import service as entities
from laborcommons.entities.models import ReviewCandidate, RowLink
from laborcommons.evidence import service as evidence
from laborcommons.evidence.schemas import MappingCreate

YEAR = "2025"
MAPPINGS: tuple[tuple[str, dict[str, Any]], ...] = (
    (DECLARATIONS.slug, {"column": "avg_monthly_wage_usd", "metric": "monthly-gross-wage",
                         "unit": "USD/month", "method": "self-declared"}),
    (DECLARATIONS.slug, {"column": "workers_total", "metric": "workers-total",
                         "method": "self-declared"}),
    (DECLARATIONS.slug, {"column": "women_percent", "metric": "share-women", "unit": "percent",
                         "method": "self-declared"}),
    (DECLARATIONS.slug, {"column": "union_present", "metric": "union-present",
                         "method": "self-declared"}),
    (DECLARATIONS.slug, {"column": "living_wage_estimate_usd", "metric": "living-wage-estimate",
                         "unit": "USD/month", "method": "other"}),
    (PUBLISHED_SLUG, {"column": "value", "metric": "monthly-gross-wage", "unit": "USD/month",
                      "method": "worker-survey"}),
)  # fmt: skip
"""(dataset, mapping) in the shape of ``evidence map``'s options, all for the year 2025."""


def _truth(path: Path, slug: str) -> dict[int, str]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        return {int(r["row_number"]): r["facility_key"] for r in rows if r["dataset_slug"] == slug}


def review_indications(bundle: DemoBundle, *, node: Node, session: Session) -> int:
    """Play the union's reviewer: an organiser's spelling of a factory ("Gazipur Intimates
    Lmited") is often too far from the name on file to link unseen, so the published
    indications wait in the review queue. The union knows which factories it visited
    (here: the generator's answer key), and accepts the candidate that is that factory."""
    ground = bundle.ground_truth_path
    survey_rows = _truth(ground, WAGES.slug)
    with (bundle.ground_truth_path.parent.parent / "datasets" / WAGES.filename).open(
        newline="", encoding="utf-8"
    ) as handle:
        spelled = {
            (r["factory_name"], r["country"]): survey_rows[number]
            for number, r in enumerate(csv.DictReader(handle), start=1)
        }
    declared = _truth(ground, DECLARATIONS.slug)
    version = catalog.get_version(DECLARATIONS.slug, None, reader=NODE_ADMIN, session=session)
    query = select(RowLink.row_number, RowLink.entity_id).where(
        RowLink.version_id == version.id, RowLink.entity_id.is_not(None)
    )
    entity_of = {declared[row]: entity for row, entity in session.execute(query) if row in declared}
    published = catalog.get_version(PUBLISHED_SLUG, None, reader=NODE_ADMIN, session=session)
    rows = catalog.query_rows(published, node=node, page_size=1000).rows
    wanted = {
        number: entity_of.get(spelled.get((row["factory_name"], row["country"]), ""))
        for number, row in enumerate(rows, start=1)
    }
    accepted = 0
    open_candidates = select(ReviewCandidate).where(
        ReviewCandidate.version_id == published.id, ReviewCandidate.status == "open"
    )
    for candidate in list(session.scalars(open_candidates.order_by(ReviewCandidate.id))):
        if candidate.status == "open" and wanted.get(candidate.row_number) == candidate.entity_id:
            entities.accept_candidate(
                candidate.id,
                reason="the factory the union visited",
                reader=NODE_ADMIN,
                session=session,
            )
            accepted += 1
    return accepted


def seed_evidence(bundle: DemoBundle, *, node: Node, session: Session) -> list[str]:
    reviewed = review_indications(bundle, node=node, session=session)
    added = 0
    for slug, options in MAPPINGS:
        data = MappingCreate.model_validate({**options, "period": YEAR})
        result = evidence.map_column(
            slug, None, data, reader=NODE_ADMIN, session=session, node=node
        )
        added += result.added
    found = evidence.deviations(reader=NODE_ADMIN, session=session, metric="monthly-gross-wage")
    return [
        f"Reviewed {reviewed} published wage indications (the union's own site visits).",
        f"Evidence: {added} answers from {len(MAPPINGS)} mapped columns; "
        f"{len(found)} facilities whose declared wage deviates from the worker survey.",
    ]
