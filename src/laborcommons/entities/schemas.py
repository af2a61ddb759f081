"""Inputs and outputs of the entities service (the API serves them, the CLI prints them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from laborcommons.core.schemas import StrictInput

Kind = Literal["facility", "company", "brand"]
Predicate = Literal["operated_by", "owned_by", "sources_from"]
LinkStatus = Literal["linked", "review", "new"]
RowId = Annotated[int, Field(ge=1, le=2**31 - 1)]
MAX_WORKERS = 10_000_000


class IdentifierIn(StrictInput):
    scheme: str = Field(min_length=1, max_length=60)
    value: str = Field(min_length=1, max_length=200)


class IdentifierPublic(BaseModel):
    scheme: str
    value: str


class EntityFields(StrictInput):
    """Fields shared by create, update and split parts; ``country`` may be a name or code."""

    address: str | None = Field(default=None, max_length=2000)
    city: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=40)
    country: str | None = Field(default=None, max_length=100)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    sector: str | None = Field(default=None, max_length=200)
    workers_min: int | None = Field(default=None, ge=0, le=MAX_WORKERS)
    workers_max: int | None = Field(default=None, ge=0, le=MAX_WORKERS)
    legal_name: str | None = Field(default=None, max_length=500)
    jurisdiction: str | None = Field(default=None, max_length=10)
    registration_number: str | None = Field(default=None, max_length=100)
    owner: str | None = Field(default=None, description="lcid of the owning company (brands)")

    @model_validator(mode="after")
    def _workers_range(self) -> EntityFields:
        low, high = self.workers_min, self.workers_max
        if low is not None and high is not None and low > high:
            raise ValueError("workers_min must not exceed workers_max")
        return self


class EntityCreate(EntityFields):
    kind: Kind
    name: str = Field(min_length=1, max_length=500)
    identifiers: list[IdentifierIn] = Field(default_factory=list)


class EntityUpdate(EntityFields):
    name: str | None = Field(default=None, min_length=1, max_length=500)
    reason: str = ""


class EntitySummary(BaseModel):
    lcid: str
    kind: str
    name: str
    name_ascii: str
    address: str | None
    city: str | None
    country: str | None
    status: str


class NamePublic(BaseModel):
    name: str
    address: str | None
    city: str | None


class RelationCreate(StrictInput):
    subject: str
    predicate: Predicate
    object: str
    tier: int | None = Field(default=None, ge=0, le=20)
    valid_from: date | None = None
    valid_to: date | None = None


class RelationPublic(BaseModel):
    subject: str
    subject_name: str
    predicate: str
    object: str
    object_name: str
    tier: int | None
    valid_from: date | None
    valid_to: date | None
    source_dataset: str | None = Field(description="slug, only when the reader may discover it")
    source_version: int | None


class DatasetMention(BaseModel):
    slug: str
    title: str
    version: int
    rows: int


class EntityPublic(EntitySummary):
    postal_code: str | None
    latitude: float | None
    longitude: float | None
    sector: str | None
    workers_min: int | None
    workers_max: int | None
    legal_name: str | None
    jurisdiction: str | None
    registration_number: str | None
    owner: str | None
    split_into: list[str] = Field(description="lcids this entity was split into, if it was")
    aliases: list[str]
    identifiers: list[IdentifierPublic]
    names: list[NamePublic]
    relations: list[RelationPublic] = Field(description="one page of them (relations_page)")
    relations_total: int = Field(0, description="every relation the reader may see")
    relations_next: str | None = Field(None, description="the next page of relations")
    datasets: list[DatasetMention]
    created_at: datetime
    updated_at: datetime


class FacetCount(BaseModel):
    value: str
    count: int


class EntityFacets(BaseModel):
    """Counts over the whole result of a search, most frequent first."""

    kind: list[FacetCount] = []
    country: list[FacetCount] = []
    sector: list[FacetCount] = []


class EntityPage(BaseModel):
    items: list[EntitySummary]
    total: int
    page: int
    page_size: int
    next: str | None = None
    facets: EntityFacets = Field(default_factory=EntityFacets)


class EventSource(BaseModel):
    """The dataset version (and row) an event's evidence came from, as readers know it:
    the dataset's slug and title and the version's number, never an internal id."""

    dataset: str
    title: str
    version: int
    row: int | None = None


class EventPublic(BaseModel):
    id: int
    lcid: str
    event: str
    other_lcid: str | None
    actor: str
    reason: str
    evidence: dict[str, Any]
    created_at: datetime
    source: EventSource | None = Field(
        default=None, description="the dataset version an event's evidence came from"
    )


class ChangesPage(BaseModel):
    items: list[EventPublic]
    next_since: int = Field(description="pass as ?since= to get the changes after these")
    next: str | None = None


class MergeRequest(StrictInput):
    into: str = Field(description="lcid that survives; the merged lcid becomes its alias")
    reason: str = Field(min_length=1, max_length=2000)
    evidence: dict[str, Any] = Field(default_factory=dict)


class SplitPart(EntityFields):
    name: str = Field(min_length=1, max_length=500)
    identifiers: list[IdentifierIn] = Field(
        default_factory=list, description="identifiers of the original that move to this part"
    )


class SplitRequest(StrictInput):
    parts: list[SplitPart] = Field(min_length=2, max_length=50)
    reason: str = Field(min_length=1, max_length=2000)
    evidence: dict[str, Any] = Field(default_factory=dict)


class SplitResult(BaseModel):
    original: str
    parts: list[EntitySummary]


class ColumnMapping(StrictInput):
    """Which column of the version holds what; only ``name`` is required."""

    name: str
    address: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    identifiers: dict[str, str] = Field(
        default_factory=dict, description="scheme -> column, e.g. {'lei': 'LEI code'}"
    )

    def columns(self) -> list[str]:
        fixed = [self.name, self.address, self.city, self.postal_code, self.country]
        fixed += [self.latitude, self.longitude, *self.identifiers.values()]
        return [c for c in fixed if c]


class LinkRelation(StrictInput):
    """Relate every linked row to one entity: a brand's supplier list is
    ``{"predicate": "sources_from", "subject": BRAND}``; a company's list of the facilities
    it operates is ``{"predicate": "operated_by", "object": COMPANY}``."""

    predicate: Predicate
    subject: str | None = Field(default=None, description="lcid; the rows are the objects")
    object: str | None = Field(default=None, description="lcid; the rows are the subjects")
    tier_column: str | None = Field(default=None, description="column with the tier, if any")
    valid_from: date | None = None
    valid_to: date | None = None

    @model_validator(mode="after")
    def _one_side(self) -> LinkRelation:
        if (self.subject is None) == (self.object is None):
            raise ValueError("give either subject or object (the rows are the other side)")
        return self


class MappingSuggestion(BaseModel):
    dataset: str
    version: int
    mapping: ColumnMapping | None = Field(description="None when no name column was found")
    candidates: dict[str, list[str]] = Field(description="role -> columns that could fill it")
    unmapped: list[str]


class LinkJobCreate(StrictInput):
    dataset: str
    version: int | None = Field(default=None, ge=1, le=1_000_000, description="latest if omitted")
    kind: Kind = "facility"
    mapping: ColumnMapping | None = Field(default=None, description="suggested when omitted")
    upper: float | None = Field(default=None, gt=0, le=1)
    lower: float | None = Field(default=None, ge=0, lt=1)
    dry_run: bool = False
    relation: LinkRelation | None = Field(
        default=None, description="relate every linked row to this entity"
    )

    @model_validator(mode="after")
    def _thresholds(self) -> LinkJobCreate:
        if self.upper is not None and self.lower is not None and self.lower > self.upper:
            raise ValueError("lower must not exceed upper")
        return self


class RowOutcome(BaseModel):
    row: int
    status: LinkStatus
    method: str
    entity: str | None = Field(description="lcid linked to, or that would be created")
    name: str
    probability: float | None = None


class LinkJobPublic(BaseModel):
    id: int
    dataset: str
    access: str = Field(description="the dataset's level: restricted results are never cached")
    version: int
    kind: str
    status: str
    dry_run: bool
    total: int
    processed: int
    counts: dict[str, int]
    upper: float
    lower: float
    mapping: dict[str, Any]
    relation: dict[str, Any] | None = None
    error: str | None
    outcomes: list[RowOutcome] = Field(
        default_factory=list, description="per row, for a dry run (what would happen)"
    )
    created_by: str
    created_at: datetime
    finished_at: datetime | None


class CandidatePublic(BaseModel):
    id: int
    job_id: int | None
    dataset: str
    version: int
    row: int
    kind: str
    record: dict[str, Any]
    entity: EntitySummary
    probability: float
    match_weight: float
    comparison: dict[str, Any]
    status: str
    decided_by: str | None
    decided_at: datetime | None


class CandidatePage(BaseModel):
    items: list[CandidatePublic]
    total: int
    page: int
    page_size: int
    next: str | None = None


class ReviewDecision(StrictInput):
    reason: str = Field(default="", max_length=2000)


class BulkReview(StrictInput):
    ids: list[RowId] = Field(min_length=1, max_length=1000)
    action: Literal["accept", "reject"]
    reason: str = Field(default="", max_length=2000)


class BulkReviewResult(BaseModel):
    decided: list[CandidatePublic]


class PlaceProperties(BaseModel):
    lcid: str
    name: str
    kind: str
    country: str | None


class PointGeometry(BaseModel):
    type: Literal["Point"] = "Point"
    coordinates: tuple[float, float] = Field(description="[longitude, latitude] (GeoJSON)")


class PlaceFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    geometry: PointGeometry
    properties: PlaceProperties


class PlaceCollection(BaseModel):
    """A GeoJSON FeatureCollection (RFC 7946) of entities with coordinates the reader may
    see; ``total``, ``limit`` and ``truncated`` are foreign members saying whether the cap
    left points out."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[PlaceFeature]
    total: int = Field(description="entities with coordinates that matched")
    limit: int = Field(description="the most points one answer holds")
    truncated: bool = Field(description="true when total exceeds limit")


class RelationPage(BaseModel):
    items: list[RelationPublic]
    total: int
    page: int
    page_size: int
    next: str | None = None
