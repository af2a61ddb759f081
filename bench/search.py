"""Dataset search latency: full-text (FTS5 on SQLite) against the LIKE scan it replaced.

Builds a fresh SQLite node with N generated datasets (half discoverable, a tenth
internal and hidden), then times the same anonymous searches both ways in the same run:
the baseline is the old ``list_datasets`` (substring LIKE over title, description, slug
and methodology; total + one page), the new path is ``list_datasets`` without and with
facets. Medians over R runs, in milliseconds.

Usage: python bench/search.py [--datasets N] [--runs R]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from laborcommons.access import ANONYMOUS, READABLE_BY_ANYONE
from laborcommons.catalog import service
from laborcommons.catalog.models import Dataset, Organization
from laborcommons.catalog.service import visible_datasets_clause
from laborcommons.core.db import unit_of_work
from laborcommons.core.migrate import upgrade_database
from laborcommons.core.node import open_node
from laborcommons.core.settings import Settings

WORDS = [
    *(
        [
            "wage",
            "overtime",
            "survey",
            "audit",
            "factory",
            "garment",
            "union",
            "grievance",
            "strike",
            "safety",
            "fire",
        ]
    ),
    *(
        [
            "contract",
            "piece",
            "rate",
            "leave",
            "maternity",
            "harassment",
            "wage-theft",
            "dormitory",
            "canteen",
        ]
    ),
    *(
        [
            "sewing",
            "cutting",
            "dyeing",
            "tannery",
            "spinning",
            "weaving",
            "export",
            "brand",
            "supplier",
        ]
    ),
]
COUNTRIES = ["BD", "KH", "VN", "IN", "PK", "LK", "MM", "ET", "CN", "TR", "ID", "MX"]
QUERIES = ["bangladesh", "wage", "grievance strike", "tann", "zzzunmatched"]


def like_baseline(session: Session, q: str) -> int:
    """The search before full text: LIKE over four fields, a total and one page."""
    pattern = f"%{q.lower()}%"
    query = select(Dataset).where(
        visible_datasets_clause(ANONYMOUS),
        or_(
            func.lower(Dataset.title).like(pattern),
            func.lower(Dataset.description).like(pattern),
            func.lower(Dataset.slug).like(pattern),
            func.lower(Dataset.methodology).like(pattern),
        ),
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = session.scalars(query.order_by(Dataset.updated_at.desc()).limit(20))
    [service.dataset_public(d, reader=ANONYMOUS) for d in page]  # as list_datasets did
    return total


def populate(session: Session, count: int) -> None:
    rng = random.Random(7)
    orgs = [
        Organization(slug=f"org-{i}", name=f"Organization {i}", archetype="advocate")
        for i in range(20)
    ]
    session.add_all(orgs)
    session.flush()
    levels = [*sorted(READABLE_BY_ANYONE), "group", "internal"]
    rows = []
    for i in range(count):
        access = rng.choice(levels)
        rows.append(
            {
                "slug": f"ds-{i}",
                "title": " ".join(rng.choices(WORDS, k=4)).capitalize(),
                "description": " ".join(rng.choices(WORDS, k=40)),
                "methodology": " ".join(rng.choices(WORDS, k=15)),
                "organization_id": orgs[i % len(orgs)].id,
                "data_type": "working-conditions",
                "coverage": rng.sample(COUNTRIES, 2),
                "keywords": rng.sample(WORDS, 3),
                "access": access,
                "license": "CC-BY-4.0" if access in READABLE_BY_ANYONE else None,
                "discoverable": rng.random() < 0.5,
            }
        )
    session.execute(insert(Dataset), rows)  # bulk: the index is built once, by reindex


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home))
        upgrade_database(settings.resolved_database_url)
        node = open_node(settings)
        with unit_of_work(node.sessions) as session:
            populate(session, args.datasets)
        start = time.perf_counter()
        with unit_of_work(node.sessions) as session:
            service.reindex(session=session)
        print(f"reindex of {args.datasets} datasets: {time.perf_counter() - start:.1f} s")
        print(f"{'q':<18}{'LIKE ms':>9}{'hits':>7}{'FTS ms':>9}{'hits':>7}{'FTS+facets ms':>15}")
        with node.sessions() as session:
            for q in QUERIES:

                def fts(facets: bool, q: str = q) -> int:
                    found = service.list_datasets(
                        reader=ANONYMOUS, session=session, q=q, facets=facets
                    )
                    return found.total

                like = median_ms(lambda q=q: like_baseline(session, q), args.runs)
                new = median_ms(lambda: fts(False), args.runs)
                faceted = median_ms(lambda: fts(True), args.runs)
                print(
                    f"{q:<18}{like:>9.1f}{like_baseline(session, q):>7}"
                    f"{new:>9.1f}{fts(False):>7}{faceted:>15.1f}"
                )
        node.dispose()


if __name__ == "__main__":
    main()
