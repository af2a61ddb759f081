"""A sensitive worker-level wage survey and the reference wages used to read it.

The survey is the kind of file a node must never expose: one row per interviewed
worker, naming the factory. Wages are drawn around each country's minimum wage so
that underpayment shows up in a plausible minority of rows.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from laborcommons.demo.datasets import REFERENCE_WAGES, WAGES
from laborcommons.demo.formats import Cell, write_csv
from laborcommons.demo.models import Facility, WrittenFile
from laborcommons.demo.variants import VariantProfile, vary_name

# country: (currency, statutory monthly minimum or None, living-wage estimate, note)
REFERENCE: dict[str, tuple[str, int | None, int, str]] = {
    "BD": ("BDT", 12500, 28000, "Garment sector minimum wage board rate, grade 7"),
    "KH": ("USD", 208, 480, "Garment, textile and footwear sector minimum"),
    "CN": ("CNY", 2360, 5000, "Highest provincial band (Guangdong, Shenzhen)"),
    "IN": ("INR", 10500, 24000, "State scheduled-employment rate, unskilled"),
    "ID": ("IDR", 5200000, 7500000, "Regency minimum (UMK), West Java industrial belt"),
    "PK": ("PKR", 37000, 75000, "Provincial minimum for unskilled workers"),
    "VN": ("VND", 4960000, 9000000, "Region I minimum"),
    "TR": ("TRY", 22104, 45000, "National net minimum wage"),
    "LK": ("LKR", 27000, 60000, "National minimum wage including budgetary allowance"),
    "MM": ("MMK", 174000, 420000, "Daily minimum times 30, including allowance"),
    "ET": ("ETB", None, 9000, "No statutory private-sector minimum; typical entry wage 3500"),
    "HN": ("HNL", 11000, 18000, "Maquila sector agreement rate"),
}
_ENTRY_WAGE = {"ET": 3500}
# Illustrative fixed exchange rates (USD per unit) for the survey's comparable wage column.
USD_PER_UNIT = {"BDT": 0.0083, "USD": 1.0, "CNY": 0.14, "INR": 0.012, "IDR": 0.000063,
                "PKR": 0.0036, "VND": 0.00004, "TRY": 0.031, "LKR": 0.0033, "MMK": 0.00048,
                "ETB": 0.0081, "HNL": 0.04}  # fmt: skip
BOUNDS_USD = (0, 600)
"""The clamp of the facility-level mean the union publishes (demo.answers)."""
SMALL_SITE_EVERY = 6
"""Every sixth site visit reached only 5 to 9 workers: too few for a safe answer."""
SURVEY_COUNTRIES = ("BD", "KH", "IN", "PK", "LK", "ID", "MM")
FEMALE_SHARE = {"BD": 0.6, "KH": 0.8, "IN": 0.5, "PK": 0.15, "LK": 0.75, "ID": 0.8, "MM": 0.85}
JOBS: tuple[tuple[str, float, int], ...] = (  # title, pay factor vs minimum, weight
    ("Sewing operator", 1.15, 50),
    ("Helper", 1.0, 18),
    ("Quality inspector", 1.25, 8),
    ("Cutting operator", 1.2, 7),
    ("Ironer", 1.1, 6),
    ("Packer", 1.05, 6),
    ("Line supervisor", 1.65, 3),
    ("Machine mechanic", 1.5, 2),
)
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55+")
AGE_WEIGHTS = (30, 42, 19, 7, 2)
# Organisers copy the factory's name once per visit, legal form included (a bare
# "Sri Murugan Overseas" would read as a person's name), with their own slips of the pen.
ENUMERATOR_STYLE = VariantProfile(
    legal_drop=0.0,
    legal_change=0.2,
    abbreviate=0.1,
    swap=0.05,
    typo=0.12,
    upper=0.1,
    lower=0.0,
)


def write_reference_wages(out_dir: Path) -> WrittenFile:
    """One row per country; fixed figures, so no randomness is involved."""
    header = ("country", "currency", "minimum_wage_monthly", "living_wage_estimate", "note")
    rows = [(code, *values) for code, values in REFERENCE.items()]
    path = out_dir / REFERENCE_WAGES.filename
    write_csv(path, header, rows)
    return WrittenFile(path, len(rows), set(REFERENCE), truth=[])


def _round_wage(amount: float, currency: str) -> int:
    step = 1000 if currency in {"VND", "IDR", "MMK"} else 1 if currency == "USD" else 10
    return int(round(amount / step) * step)


def _wage(rng: random.Random, country: str, factor: float) -> int:
    currency, minimum, _, _ = REFERENCE[country]
    base = minimum or _ENTRY_WAGE[country]
    amount = base * factor * rng.lognormvariate(0.05, 0.12)
    if rng.random() < 0.06:  # paid below the minimum: the finding this survey exists for
        amount = base * rng.uniform(0.7, 0.97)
    return _round_wage(amount, currency)


def _respondent(
    rng: random.Random, facility: Facility, spelling: str, respondent_id: str, day: date
) -> list[Cell]:
    title, factor, _ = rng.choices(JOBS, weights=[job[2] for job in JOBS])[0]
    female = rng.random() < FEMALE_SHARE[facility.country]
    overtime = max(0, round(rng.gauss(10, 6)))
    wage = _wage(rng, facility.country, factor)
    currency = REFERENCE[facility.country][0]
    return [
        respondent_id,
        day.isoformat(),
        spelling,
        facility.country,
        "Female" if female else rng.choice(("Male", "Male", "Male", "Prefer not to say")),
        rng.choices(AGE_BANDS, weights=AGE_WEIGHTS)[0],
        title,
        round(rng.expovariate(1 / 4), 1),
        wage,
        currency,
        round(wage * USD_PER_UNIT[currency]),
        48 + overtime,
        rng.choices(("yes", "partly", "no"), weights=(55, 25, 20))[0] if overtime else "n/a",
        rng.choices(("yes", "no", "don't know"), weights=(22, 70, 8))[0],
        rng.choice(("outside factory gate", "worker's home", "phone", "union office")),
    ]


def write_wage_survey(
    out_dir: Path, rng: random.Random, facilities: Sequence[Facility], sites: int = 150
) -> WrittenFile:
    """About ``sites`` x 18 respondents; the enumerator writes the factory's name once per
    visit, as they know it, so one site is one spelling (matched to facilities later)."""
    eligible = [f for f in facilities if f.country in SURVEY_COUNTRIES]
    chosen = rng.sample(eligible, min(sites, len(eligible)))
    start, end = WAGES.period
    rows: list[list[Cell]] = []
    truth: list[tuple[int, str]] = []
    for site, facility in enumerate(chosen, start=1):
        visit = start + timedelta(days=rng.randrange((end - start).days - 14))
        spelling = vary_name(rng, facility, ENUMERATOR_STYLE)
        size = rng.randint(5, 9) if site % SMALL_SITE_EVERY == 0 else rng.randint(12, 28)
        for person in range(1, size + 1):
            day = visit + timedelta(days=rng.randrange(14))
            respondent_id = f"{facility.country}-{site:03d}-{person:02d}"
            rows.append(_respondent(rng, facility, spelling, respondent_id, day))
            truth.append((len(rows), facility.key))
    header = (
        "respondent_id",
        "interview_date",
        "factory_name",
        "country",
        "gender",
        "age_band",
        "job_title",
        "tenure_years",
        "monthly_wage_local",
        "currency",
        "monthly_wage_usd",
        "hours_per_week",
        "overtime_paid",
        "union_member",
        "interview_location",
    )
    path = out_dir / WAGES.filename
    write_csv(path, header, rows)
    return WrittenFile(path, len(rows), {f.country for f in chosen}, truth)
