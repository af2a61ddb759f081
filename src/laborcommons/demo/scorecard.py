"""A brand-policy scorecard as a JSON array: ten brands, seven areas, three yearly rounds.

Scores drift upward year on year from a per-brand baseline, as campaign scorecards tend
to; areas without public evidence score low and carry no evidence link.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from laborcommons.demo.datasets import SCORECARD
from laborcommons.demo.formats import write_json
from laborcommons.demo.models import WrittenFile
from laborcommons.demo.organizations import BRANDS, OTHER_BRANDS

POLICY_AREAS = (
    "Living wage",
    "Freedom of association",
    "Supply chain transparency",
    "Purchasing practices",
    "Grievance mechanisms",
    "Gender equality",
    "Health and safety",
)
YEARS = (2023, 2024, 2025)
HEADQUARTERS = ("US", "DE", "GB", "FR", "NL", "SE", "US", "CA", "ES", "GB")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _score(rng: random.Random, baseline: float, year_index: int) -> int:
    drift = year_index * rng.uniform(0, 8)
    return max(0, min(100, round(rng.gauss(baseline + drift, 12))))


def write_scorecard(out_dir: Path, rng: random.Random) -> WrittenFile:
    """Write one object per brand, area and year."""
    records: list[dict[str, Any]] = []
    for brand, country in zip((*BRANDS, *OTHER_BRANDS), HEADQUARTERS, strict=True):
        baseline = rng.uniform(15, 65)
        domain = _slug(brand).replace("-", "")
        for year_index, year in enumerate(YEARS):
            for area in POLICY_AREAS:
                score = _score(rng, baseline, year_index)
                evidence = (
                    f"https://www.{domain}.example/sustainability/{year}/{_slug(area)}.pdf"
                    if score >= 20
                    else None
                )
                records.append(
                    {
                        "brand": brand,
                        "headquarters": country,
                        "policy_area": area,
                        "year": year,
                        "score": score,
                        "evidence_url": evidence,
                        "assessed_by": "Threadline research team",
                    }
                )
    path = out_dir / SCORECARD.filename
    write_json(path, records)
    return WrittenFile(path, len(records), set(HEADQUARTERS), truth=[])
