"""Pydantic shapes of the catalog: XCreate / XUpdate / XPublic / XPage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from laborcommons.catalog.licenses import LICENSES, License
from laborcommons.core.countries import require_country_code
from laborcommons.core.schemas import Slug, StrictInput
from laborcommons.ingest.schemas import ColumnProfile

Archetype = Literal[
    "advocate",
    "compliance-aggregator",
    "data-intelligence-hub",
    "worker-voice",
    "traceability",
    "open-data-platform",
    "knowledge-sharing",
]
DataType = Literal[
    "working-conditions",
    "supply-chain",
    "violations",
    "brand-policies",
    "facility-compliance",
    "products-certifications",
    "other",
]
AccessLevel = Literal["internal", "named", "group", "public", "open"]


def validate_country_codes(codes: list[str]) -> list[str]:
    """Codes or names (``core.countries``, the one rule) as ISO 3166-1 alpha-2, each once;
    anything that names no country is refused."""
    result: list[str] = []
    for raw in codes:
        code = require_country_code(raw)
        if code not in result:
            result.append(code)
    return result


class OrganizationBase(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    archetype: Archetype
    countries: list[str] = Field(default_factory=list)
    website: str | None = None
    contact: str | None = None
    has_api: bool = False
    api_url: str | None = None
    formats: list[str] = Field(default_factory=list)
    tools: list[str] = Field(default_factory=list)
    data_types: list[DataType] = Field(default_factory=list)
    public_summary: str = ""

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        return validate_country_codes(value)


class OrganizationCreate(OrganizationBase, StrictInput):
    slug: Slug


class OrganizationUpdate(OrganizationBase, StrictInput):
    """The whole registry profile as edited on the web form (the slug never changes)."""


class OrganizationPublic(OrganizationBase):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    created_at: datetime
    status: str = Field(default="approved", description="`pending` until the admin approves")
    dataset_count: int = 0


class FacetCount(BaseModel):
    """One value of a facet and how many results this reader may discover carry it."""

    value: str
    label: str
    count: int


Facets = dict[str, list[FacetCount]]


class OrganizationPage(BaseModel):
    items: list[OrganizationPublic]
    total: int
    next: str | None = None
    facets: Facets = Field(default_factory=dict, description="archetype and country counts")


class ColumnDescription(BaseModel):
    description: str = ""
    unit: str = ""
    allowed_values: list[str] = Field(default_factory=list)


class ColumnDescriptionEdit(ColumnDescription, StrictInput):
    """A dictionary entry as sent: unknown keys are refused (stored ones are read leniently)."""


class DatasetFields(StrictInput):
    """Every editable metadata field, all optional so PATCH can send any subset."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = None
    data_type: DataType | None = None
    methodology: str | None = None
    sample_description: str | None = None
    unit_of_observation: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    coverage: list[str] | None = None
    keywords: list[str] | None = None
    license: str | None = None
    access: AccessLevel | None = None
    discoverable: bool | None = Field(
        default=None, description="show the metadata of a restricted dataset to everyone"
    )
    contact: str | None = None
    source: str | None = None
    citation: str | None = None
    data_dictionary: dict[str, ColumnDescriptionEdit] | None = None

    @field_validator("coverage")
    @classmethod
    def _coverage(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else validate_country_codes(value)

    @field_validator("license")
    @classmethod
    def _license(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        by_lower = {code.lower(): code for code in LICENSES}
        if value.lower() not in by_lower:
            raise ValueError(f"unknown license {value!r}; use one of {', '.join(LICENSES)}")
        return by_lower[value.lower()]


class DatasetCreate(DatasetFields):
    slug: Slug
    organization: str = Field(description="slug of the owning organization")
    title: str = Field(min_length=1, max_length=300)
    data_type: DataType
    access: AccessLevel = "internal"


class DatasetUpdate(DatasetFields):
    pass


class VersionPublic(BaseModel):
    version: int
    sha256: str
    parquet_sha256: str
    original_name: str
    format: str
    sheet: str | None
    size_bytes: int
    row_count: int
    columns: list[ColumnProfile]
    author: str | None
    message: str
    created_at: datetime
    primary_key: list[str] = Field(description="the upload's Table Schema primaryKey, if any")
    doi: str | None = Field(description="the DOI minted for this version, once recorded")
    citation: str = Field(description="how to cite this version (with its DOI when minted)")


class VersionDoi(StrictInput):
    doi: str | None = Field(
        description="10.<registrant>/<suffix> as minted at DataCite; null clears it",
        max_length=200,
    )


class VersionCreated(VersionPublic):
    created: bool = Field(description="false when identical content already was a version")


class DatasetPublic(BaseModel):
    slug: str
    address: str = Field(description="organization~slug: names this dataset for every reader")
    title: str
    description: str
    organization: str
    organization_name: str
    data_type: str
    methodology: str
    sample_description: str
    unit_of_observation: str
    period_start: date | None
    period_end: date | None
    coverage: list[str]
    keywords: list[str]
    license: License | None
    access: str
    discoverable: bool = False
    contact: str
    source: str
    citation: str
    data_dictionary: dict[str, ColumnDescription]
    created_at: datetime
    updated_at: datetime
    latest_version: int | None
    rows_readable: bool = Field(description="whether the asking reader may read the rows")


class DatasetPage(BaseModel):
    items: list[DatasetPublic]
    total: int
    page: int
    page_size: int
    next: str | None = None
    facets: Facets = Field(
        default_factory=dict,
        description="counts per value of data_type, access, license, country, organization, "
        "archetype and period, each under every other filter (docs/standards.md#search)",
    )


class RowsPage(BaseModel):
    columns: list[ColumnProfile]
    rows: list[dict[str, Any]]
    total: int = Field(description="rows matching the filters")
    page: int
    page_size: int
    next: str | None = None


class ChecklistItem(BaseModel):
    """One thing a dataset should have before its rows go to everyone."""

    key: str
    label: str
    ok: bool
    blocking: bool = Field(description="true: the level change is refused until it is ok")
    detail: str
    link: str = Field(description="where to fix it")


class PublishingChecklist(BaseModel):
    dataset: str
    level: AccessLevel = Field(description="the level the checklist is computed for")
    items: list[ChecklistItem]
    ready: bool = Field(description="no blocking item is missing: the level change would pass")
    complete: bool = Field(description="every item is ok")


class DistributionBar(BaseModel):
    label: str
    count: int
    filters: dict[str, str] = Field(description="the rows filters that select this bar's rows")


class ColumnDistribution(BaseModel):
    """How one column's values spread over a whole version, for a chart and its facets."""

    column: str
    type: str
    kind: Literal["histogram", "categories", "timeline"]
    bars: list[DistributionBar]
    other: int = Field(default=0, description="values outside the bars (rarer categories)")
