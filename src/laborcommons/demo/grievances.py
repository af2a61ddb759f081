"""A worker-voice grievance log as JSON Lines, the export format of case-management tools.

Workers name their factory the way they say it, often without the legal form and in
lower case, which makes these the hardest rows to link to a facility.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from laborcommons.demo.datasets import GRIEVANCES
from laborcommons.demo.formats import write_jsonl
from laborcommons.demo.models import Facility, WrittenFile
from laborcommons.demo.variants import VariantProfile, vary_name

GRIEVANCE_COUNTRIES = ("BD", "KH", "MM", "ET", "LK")
LANGUAGES = {"BD": "bn", "KH": "km", "MM": "my", "ET": "am", "LK": "si"}
CATEGORIES: dict[str, tuple[int, tuple[str, ...]]] = {
    "Unpaid wages": (22, (
        "Worker reports that last month's wages were paid two weeks late.",
        "Several workers say their overtime for the previous month was not paid.")),
    "Excessive overtime": (18, (
        "Workers report being kept until 10 pm without prior notice during shipment week.",
        "Sunday work required for the third week in a row.")),
    "Harassment": (12, (
        "Worker reports shouting and insults by a line supervisor on the sewing floor.",
        "Worker reports unwanted comments from a supervisor; asks for a female caseworker.")),
    "Health and safety": (14, (
        "Drinking water on floor 3 not available for two days.",
        "Workers faint in the finishing section; ventilation reported broken.")),
    "Dismissal": (14, (
        "Worker dismissed after taking sick leave, without final settlement.",
        "Contract not renewed after worker disclosed pregnancy.")),
    "Freedom of association": (8, (
        "Workers who joined the union report being moved to lower-paid tasks.",
        "Management told workers not to attend a union meeting.")),
    "Leave and benefits": (12, (
        "Maternity benefit not paid in full.",
        "Annual leave refused during peak season; leave not paid out.")),
}  # fmt: skip
STATUSES = ("open", "in follow-up", "resolved", "closed - unresolved")
WORKER_STYLE = VariantProfile(
    legal_drop=0.65, abbreviate=0.1, swap=0.06, typo=0.15, lower=0.35, upper=0.05
)


def _case(rng: random.Random, facility: Facility, number: int, opened: date) -> dict[str, Any]:
    names = list(CATEGORIES)
    category = rng.choices(names, weights=[CATEGORIES[c][0] for c in names])[0]
    status = rng.choices(STATUSES, weights=(3, 4, 6, 2))[0]
    closed = None
    if status.startswith(("resolved", "closed")):
        closed = (opened + timedelta(days=round(rng.expovariate(1 / 21)) + 1)).isoformat()
    return {
        "case_id": f"WS-{opened.year}-{number:05d}",
        "opened_on": opened.isoformat(),
        "channel": rng.choices(("app", "hotline", "sms", "field visit"), (45, 30, 15, 10))[0],
        "language": LANGUAGES[facility.country],
        "factory_name_reported": vary_name(rng, facility, WORKER_STYLE),
        "country": facility.country,
        "category": category,
        "summary": rng.choice(CATEGORIES[category][1]),
        "workers_affected": max(1, round(rng.expovariate(1 / 6))),
        "anonymous": rng.random() < 0.6,
        "status": status,
        "closed_on": closed,
    }


def write_grievances(
    out_dir: Path, rng: random.Random, facilities: Sequence[Facility], cases: int = 700
) -> WrittenFile:
    """Cases concentrate on a minority of factories, as complaints do."""
    eligible = [f for f in facilities if f.country in GRIEVANCE_COUNTRIES]
    hotspots = rng.sample(eligible, min(len(eligible), 180))
    weights = [rng.paretovariate(1.5) for _ in hotspots]
    start, end = GRIEVANCES.period
    days = sorted(start + timedelta(days=rng.randrange((end - start).days)) for _ in range(cases))
    records: list[dict[str, Any]] = []
    truth: list[tuple[int, str]] = []
    for number, opened in enumerate(days, start=1):
        facility = rng.choices(hotspots, weights=weights)[0]
        records.append(_case(rng, facility, number, opened))
        truth.append((number, facility.key))
    path = out_dir / GRIEVANCES.filename
    write_jsonl(path, records)
    coverage = {record["country"] for record in records}
    return WrittenFile(path, len(records), coverage, truth)
