"""Facilities' self-declared wages, with deviations planted where the answer key says.

Every facility the wage survey visited answers the self-assessment; so do some it did
not. An honest facility declares the mean wage its own workers told the survey (within
2%); about one in seven inflates it by 60 to 100% (it reports the supervisors' pay, or
overtime and bonuses as wages), the "major deviations" triangulation exists to find. Which
facilities inflate, and by how much, is written to the ground truth beside the rows
(``truth/wage_declarations.csv``), so the deviations the node lists can be checked.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from pathlib import Path
from statistics import mean

from laborcommons.demo.datasets import DECLARATIONS
from laborcommons.demo.formats import Cell, write_csv
from laborcommons.demo.models import Facility, WrittenFile
from laborcommons.demo.wages import BOUNDS_USD, REFERENCE, USD_PER_UNIT

INFLATED_SHARE = 1 / 7
INFLATION = (1.6, 2.0)
HONEST = (0.98, 1.02)
UNVISITED = 40  # facilities that answer the questionnaire but were not surveyed
REASONS = ("reports line supervisors' pay", "counts overtime and bonuses as wages")


def survey_means(survey: WrittenFile) -> dict[str, float]:
    """Each visited facility's mean wage in USD, clamped like the survey's question."""
    with survey.path.open(newline="", encoding="utf-8") as handle:
        wages = [float(row["monthly_wage_usd"]) for row in csv.DictReader(handle)]
    by_facility: dict[str, list[float]] = {}
    for row_number, key in survey.truth:
        low, high = BOUNDS_USD
        by_facility.setdefault(key, []).append(min(max(wages[row_number - 1], low), high))
    return {key: mean(values) for key, values in by_facility.items()}


def _living_wage_usd(country: str) -> int | None:
    currency, _minimum, living, _note = REFERENCE.get(country, ("", None, 0, ""))
    return round(living * USD_PER_UNIT[currency]) if currency else None


def write_declarations(
    out_dir: Path,
    truth_path: Path,
    rng: random.Random,
    facilities: Sequence[Facility],
    survey: WrittenFile,
) -> WrittenFile:
    means = survey_means(survey)
    by_key = {f.key: f for f in facilities}
    others = [f for f in facilities if f.key not in means and f.country in REFERENCE]
    answering = [by_key[k] for k in sorted(means)] + rng.sample(others, min(UNVISITED, len(others)))
    rows: list[list[Cell]] = []
    truth: list[tuple[int, str]] = []
    planted: list[list[Cell]] = []
    for facility in answering:
        known = means.get(facility.key)
        base = known if known is not None else rng.uniform(90, 300)
        inflated = known is not None and rng.random() < INFLATED_SHARE
        factor = rng.uniform(*INFLATION) if inflated else rng.uniform(*HONEST)
        workers = rng.randint(facility.workers_min, facility.workers_max)
        women = round(rng.uniform(45, 90))
        rows.append(
            [
                facility.name,
                facility.address,
                facility.country,
                2025,
                round(base * factor),
                workers,
                women,
                rng.choice(("yes", "no", "no")),
                _living_wage_usd(facility.country),
            ]
        )
        truth.append((len(rows), facility.key))
        if known is not None:
            reason = rng.choice(REASONS) if inflated else ""
            planted.append(
                [
                    facility.key,
                    round(known, 2),
                    round(base * factor),
                    "yes" if inflated else "no",
                    round(factor, 3),
                    reason,
                ]
            )
    header = (
        "facility_name",
        "address",
        "country",
        "reporting_year",
        "avg_monthly_wage_usd",
        "workers_total",
        "women_percent",
        "union_present",
        "living_wage_estimate_usd",
    )
    path = out_dir / DECLARATIONS.filename
    write_csv(path, header, rows)
    write_csv(
        truth_path,
        ("facility_key", "survey_mean_usd", "declared_usd", "inflated", "factor", "reason"),
        planted,
    )
    return WrittenFile(path, len(rows), {f.country for f in answering}, truth)
