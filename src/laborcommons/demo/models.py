"""What the demo generator hands back: organizations, dataset files and the truth behind them.

The truth (``Facility`` and ground-truth rows) is kept apart from the files so that matching
and deduplication can be scored against it without the node ever seeing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class DemoFile:
    """One generated dataset file and the catalog metadata an owner would enter for it."""

    dataset_slug: str
    path: Path
    title: str
    description: str
    organization: str
    data_type: str
    license: str | None
    access: str
    methodology: str
    sample_description: str
    unit_of_observation: str
    period_start: date
    period_end: date
    coverage: list[str]
    keywords: list[str]
    source: str
    citation: str
    contact: str
    sheet: str | None = None


@dataclass(frozen=True)
class DemoOrganization:
    """A fictional organization of one archetype, with the infrastructure it reports."""

    slug: str
    name: str
    archetype: str
    countries: list[str]
    website: str
    contact: str
    has_api: bool
    api_url: str | None
    formats: list[str]
    tools: list[str]
    data_types: list[str]
    public_summary: str


@dataclass(frozen=True)
class DemoBundle:
    """Everything ``generate_demo`` wrote, with the answer key for facility matching."""

    organizations: list[DemoOrganization]
    files: list[DemoFile]
    ground_truth_path: Path
    facilities_path: Path
    declarations_truth_path: Path | None = None
    """Which facilities' self-declared wages were inflated, and by how much."""


@dataclass(frozen=True)
class Facility:
    """A true facility: the canonical record every dataset row is a noisy copy of."""

    key: str
    name: str
    legal_form: str
    name_local: str | None
    address: str
    city: str
    region: str
    postal_code: str
    country: str
    lat: float
    lon: float
    sector: str
    workers_min: int
    workers_max: int


@dataclass(frozen=True)
class TruthRow:
    """Which true facility a data row of a generated file describes."""

    dataset_slug: str
    row_number: int
    facility_key: str


@dataclass(frozen=True)
class WrittenFile:
    """A file a dataset writer produced: row count, countries, and row-to-facility truth."""

    path: Path
    rows: int
    coverage: set[str]
    truth: list[tuple[int, str]]
    sheet: str | None = None
