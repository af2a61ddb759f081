"""The demo's evidence: the planted inflated wage declarations are the deviations the node
lists (checked against the generator's answer key), and the survey's safe answers are
what they are checked against."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import select

from laborcommons.access import ANONYMOUS
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.demo.datasets import DECLARATIONS
from laborcommons.demo.service import seed_demo
from laborcommons.entities.models import Entity, RowLink
from laborcommons.evidence import service as evidence

pytestmark = pytest.mark.slow
FACILITIES = 300


def _declared_entities(node: Node, truth: dict[str, str]) -> dict[str, str]:
    """lcid -> facility key, through the declarations' row links and the ground truth."""
    ground = node.settings.home / "demo" / "truth" / "ground_truth.csv"
    with ground.open(newline="", encoding="utf-8") as handle:
        rows = {
            int(r["row_number"]): r["facility_key"]
            for r in csv.DictReader(handle)
            if r["dataset_slug"] == DECLARATIONS.slug
        }
    with unit_of_work(node.sessions) as session:
        query = (
            select(RowLink.row_number, Entity.lcid)
            .join(Entity, Entity.id == RowLink.entity_id)
            .join(DatasetVersion, DatasetVersion.id == RowLink.version_id)
            .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
            .where(Dataset.slug == DECLARATIONS.slug)
        )
        return {lcid: rows[row] for row, lcid in session.execute(query) if rows[row] in truth}


def test_planted_wage_deviations_are_found_and_few_honest_ones_are_flagged(node: Node) -> None:
    with unit_of_work(node.sessions) as session:
        lines = seed_demo(node=node, session=session, facilities=FACILITIES)
    assert any(line.startswith("Evidence:") for line in lines)
    path = node.settings.home / "demo" / "truth" / "wage_declarations.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        truth = {r["facility_key"]: r["inflated"] == "yes" for r in csv.DictReader(handle)}
    keys = _declared_entities(node, truth)
    with unit_of_work(node.sessions) as session:
        found = evidence.deviations(reader=ANONYMOUS, session=session, metric="monthly-gross-wage")
        compared = [
            g
            for lcid in keys
            for g in evidence.entity_evidence(
                lcid, reader=ANONYMOUS, session=session, metric="monthly-gross-wage"
            )
            if len(g.sources) >= 2
        ]
    compared_keys = {keys[g.entity] for g in compared}
    planted = {k for k in compared_keys if truth[k]}
    flagged = {keys[g.entity] for g in found if g.entity in keys}
    assert len(compared_keys) > 60 and len(planted) >= 8
    # Every inflated declaration (60-100% above) stands out of the survey's noise...
    assert len(planted & flagged) >= 0.9 * len(planted)
    # ...and an honest one is flagged only when the survey's noise (epsilon 8) is large.
    honest = compared_keys - planted
    assert len(flagged - planted) <= 0.25 * len(honest)
    for group in found:  # an entity may hold two declarations where linking merged two
        if keys.get(group.entity) in planted:
            assert any(s.deviates for s in group.sources if s.method == "self-declared")
            assert "the self-declaration" in group.explanation
            assert "above the worker survey" in group.explanation
