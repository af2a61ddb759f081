"""Social-audit findings (CSV) and facility certificates (XML) about the true facilities.

Audit firms type facility names their own way, once per audit, so an audit's findings
agree with each other but not with the brands' lists; certificates use the name on the
certificate holder's application.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

from laborcommons.demo.datasets import AUDITS, CERTIFICATES
from laborcommons.demo.formats import Cell, write_csv, write_xml
from laborcommons.demo.models import Facility, WrittenFile
from laborcommons.demo.variants import VariantProfile, one_line, vary_address, vary_name

AUDIT_FIRMS = (
    "Meridian Social Audits",
    "Veritrust Assurance",
    "ClearLine Compliance Services",
    "Sentinel Quality & Ethics",
    "Bluepeak Assessments",
)
AUDIT_TYPES = ("Initial", "Periodic", "Follow-up", "Semi-announced", "Unannounced")
# category: (weight, severity weights critical/major/minor/observation, finding texts)
FINDINGS: dict[str, tuple[int, tuple[int, int, int, int], tuple[str, ...]]] = {
    "Wages and benefits": (18, (2, 40, 45, 13), (
        "Overtime paid at the single rate instead of the legal premium.",
        "Wages paid {n} days after the legal deadline.",
        "Earnings of some piece-rate workers below the minimum wage.")),
    "Working hours": (20, (3, 50, 40, 7), (
        "Weekly hours above 60 for {n}% of sampled workers.",
        "No rest day for 14 consecutive days during peak season.",
        "Time records inconsistent with payroll records.")),
    "Health and safety": (22, (4, 35, 50, 11), (
        "Needle guards missing on {n} sewing machines.",
        "First-aid boxes incomplete on {n} floors.",
        "Chemicals stored without secondary containment.")),
    "Fire safety": (12, (10, 45, 40, 5), (
        "Emergency exit blocked by cartons on floor {n}.",
        "No fire drill in the last six months.",
        "Fire extinguishers past their inspection date.")),
    "Freedom of association": (5, (8, 52, 30, 10), (
        "Worker participation committee election not held.",
        "Management present at worker committee meetings.")),
    "Child and young workers": (3, (40, 40, 15, 5), (
        "Age documents missing for {n} workers.",
        "Young workers assigned to night shifts.")),
    "Forced labour": (2, (60, 30, 8, 2), (
        "Recruitment fees paid by migrant workers.",
        "Original identity documents retained by management.")),
    "Discrimination": (4, (15, 50, 30, 5), (
        "Pregnancy test required at hiring.",
        "Women paid less than men in the same grade.")),
    "Harassment and abuse": (4, (20, 55, 20, 5), (
        "Workers interviewed report verbal abuse by line supervisors.",)),
    "Management systems": (10, (0, 20, 60, 20), (
        "No written grievance procedure.",
        "Subcontracting not disclosed to buyers.")),
}  # fmt: skip
SEVERITIES = ("Critical", "Major", "Minor", "Observation")
AUDITOR_STYLE = VariantProfile(upper=0.3, legal_change=0.1, legal_drop=0.05, typo=0.03)
STANDARDS: tuple[tuple[str, str, int], ...] = (  # name, certification body, years valid
    ("Organic Fibre Content Standard", "NordCert Textile Services", 1),
    ("Recycled Fibre Claim Standard", "Global Fibre Assurance", 1),
    ("Textile Chemical Safety Label", "Asia Quality Certification Ltd", 1),
    ("Responsible Production Certificate", "NordCert Textile Services", 3),
    ("Clean Water Textile Mark", "Global Fibre Assurance", 3),
)


def _random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _finding(rng: random.Random, audit_day: date, end: date) -> list[Cell]:
    categories = list(FINDINGS)
    category = rng.choices(categories, weights=[FINDINGS[c][0] for c in categories])[0]
    _, severity_weights, texts = FINDINGS[category]
    severity = rng.choices(SEVERITIES, weights=severity_weights)[0]
    due = audit_day + timedelta(days=30 if severity in {"Critical", "Major"} else 90)
    if due < end - timedelta(days=60):
        status = rng.choices(("Closed - verified", "Closed - not verified", "Open"), (8, 2, 1))
    else:
        status = rng.choices(("Open", "In progress", "Closed - verified"), (4, 4, 2))
    text = rng.choice(texts).format(n=rng.randint(2, 40))
    return [category, text, severity, status[0], due.isoformat()]


def write_audit_findings(
    out_dir: Path, rng: random.Random, facilities: Sequence[Facility], share: float = 0.35
) -> WrittenFile:
    """One row per finding; each audited facility has one to three audits."""
    start, end = AUDITS.period
    audited = [f for f in facilities if rng.random() < share]
    site_ids = dict(zip(audited, rng.sample(range(10000, 99999), len(audited)), strict=True))
    rows: list[list[Cell]] = []
    truth: list[tuple[int, str]] = []
    audit_number = 0
    for facility in audited:
        for day in sorted(_random_day(rng, start, end) for _ in range(rng.choice((1, 1, 2, 3)))):
            audit_number += 1
            name = vary_name(rng, facility, AUDITOR_STYLE)
            address = one_line(vary_address(rng, facility, AUDITOR_STYLE))
            firm, kind = rng.choice(AUDIT_FIRMS), rng.choice(AUDIT_TYPES)
            for _ in range(min(8, int(rng.expovariate(1 / 2.6)))):
                head: list[Cell] = [f"F-{len(rows) + 1:06d}", f"A-{audit_number:05d}"]
                site = [f"CSX-{site_ids[facility]}", name, address, facility.country]
                audit = [day.isoformat(), firm, kind]
                rows.append(head + site + audit + _finding(rng, day, end))
                truth.append((len(rows), facility.key))
    header = (
        "finding_id",
        "audit_id",
        "site_id",
        "facility_name",
        "facility_address",
        "country",
        "audit_date",
        "audit_firm",
        "audit_type",
        "category",
        "finding",
        "severity",
        "status",
        "due_date",
    )
    path = out_dir / AUDITS.filename
    write_csv(path, header, rows, encoding="utf-8-sig")
    return WrittenFile(path, len(rows), {f.country for f in audited}, truth)


def _certificate(rng: random.Random, facility: Facility, number: int, end: date) -> ET.Element:
    standard, body, years = rng.choice(STANDARDS)
    issued = _random_day(rng, date(2022, 1, 1), end)
    expires = issued + timedelta(days=365 * years - 1)
    status = "valid" if expires > end else "expired"
    if rng.random() < 0.04:
        status = rng.choice(("suspended", "withdrawn"))
    element = ET.Element("certificate")
    fields = {
        "certificate_id": f"{body.split()[0][:3].upper()}-{issued.year}-{number:05d}",
        "standard": standard,
        "certification_body": body,
        "facility_name": facility.name,
        "facility_address": one_line(vary_address(rng, facility, AUDITOR_STYLE)),
        "country": facility.country,
        "scope": facility.sector,
        "issued": issued.isoformat(),
        "expires": expires.isoformat(),
        "status": status,
    }
    for tag, text in fields.items():
        ET.SubElement(element, tag).text = text
    return element


def write_certificates(
    out_dir: Path, rng: random.Random, facilities: Sequence[Facility], share: float = 0.2
) -> WrittenFile:
    """One ``<certificate>`` element per certificate under a ``<certificates>`` root."""
    root = ET.Element("certificates", {"source": CERTIFICATES.slug})
    truth: list[tuple[int, str]] = []
    certified = [f for f in facilities if rng.random() < share]
    for facility in certified:
        for _ in range(rng.choice((1, 1, 2))):
            root.append(_certificate(rng, facility, len(truth) + 1, CERTIFICATES.period[1]))
            truth.append((len(truth) + 1, facility.key))
    path = out_dir / CERTIFICATES.filename
    write_xml(path, root)
    return WrittenFile(path, len(truth), {f.country for f in certified}, truth)
