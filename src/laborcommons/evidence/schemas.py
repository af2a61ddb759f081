"""Input and output of evidence: metrics, mappings, answers, triangulation, verification."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from laborcommons.core.schemas import StrictInput

ValueType = Literal["number", "share", "boolean", "category", "score"]
Method = Literal[
    "self-declared",
    "third-party-audit",
    "worker-survey",
    "payslip",
    "government-record",
    "media",
    "other",
]
Status = Literal["flagged", "unverified", "community-verified", "steward-verified"]
KEY = r"^[a-z0-9][a-z0-9-]{0,78}[a-z0-9]$"
PERIOD = r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$"


class AllowedValue(BaseModel):
    value: str
    label: str = ""


class MetricPublic(BaseModel):
    """A metric: what an answer is about, in which unit, compared with what tolerance."""

    key: str
    title: str
    definition: str = ""
    unit: str | None = None
    value_type: ValueType
    allowed: list[AllowedValue] = Field(default_factory=list)
    period: str = "year"
    tolerance: float | None = None
    tolerance_kind: Literal["relative", "absolute"] = "relative"
    qualifier: str | None = None
    qualifiers: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    designer: str = ""
    license: str | None = None
    methodology: str = ""
    shipped: bool = Field(default=False, description="from the vocabulary every node ships")


class MetricCreate(StrictInput):
    key: str = Field(pattern=KEY)
    title: str = Field(min_length=1, max_length=300)
    unit: str | None = Field(default=None, max_length=60)
    value_type: ValueType
    definition: str = Field(default="", max_length=5000)
    allowed: list[AllowedValue] = Field(default_factory=list, max_length=200)
    period: Literal["year", "month"] = "year"
    tolerance: float | None = Field(default=None, ge=0)
    tolerance_kind: Literal["relative", "absolute"] = "relative"
    qualifier: str | None = Field(default=None, max_length=60)
    keywords: list[str] = Field(default_factory=list, max_length=50)
    designer: str = Field(default="", max_length=300)
    license: str | None = Field(default=None, max_length=40)
    methodology: str = Field(default="", max_length=5000)


class MappingCreate(StrictInput):
    """Read one column of a linked version as a metric."""

    column: str = Field(min_length=1, max_length=700)
    metric: str = Field(pattern=KEY)
    unit: str | None = Field(default=None, max_length=60, description="the column's unit")
    period: str | None = Field(default=None, pattern=PERIOD, description="YEAR or YEAR-MM")
    period_column: str | None = Field(default=None, min_length=1, max_length=700)
    method: Method = "other"
    qualifier: str = Field(default="", max_length=200)
    kind: Literal["facility", "company", "brand"] | None = Field(
        default=None, description="which links of the rows (default: the only linked kind)"
    )
    rates: str | None = Field(
        default=None,
        max_length=200,
        description="a dataset of exchange rates (currency, per_usd, date) for other currencies",
    )


class SkippedCell(BaseModel):
    row: int
    column: str
    reason: str


class MappingResult(BaseModel):
    id: int
    dataset: str
    version: int
    column: str
    metric: str
    method: str
    added: int = Field(description="answers this run added")
    existing: int = Field(description="answers already there from an earlier run")
    unlinked: int = Field(description="rows not linked to an entity (in review or new)")
    skipped: list[SkippedCell] = Field(default_factory=list)
    skipped_total: int = 0


class MappingSuggestionOut(BaseModel):
    column: str
    metric: str
    score: float
    reason: str
    unit: str | None = None


class SourcePublic(BaseModel):
    """One source's answer, as the reader may see it."""

    answer_id: int
    dataset: str
    version: int
    row: int
    value: float | str | None
    original: str
    original_unit: str | None = None
    normalization: list[dict[str, object]] = Field(default_factory=list)
    method: str
    verification: str
    weight: float
    deviates: bool = False
    deviation: float | None = Field(default=None, description="(value - consensus) / consensus")
    steward: bool = Field(
        default=False, description="whether the reader stewards it (may steward-verify it)"
    )
    attachments: int = Field(default=0, description="files attached as its evidence")


class Triangulation(BaseModel):
    entity: str
    name: str
    country: str | None = None
    metric: str
    qualifier: str = ""
    period: str
    unit: str | None = None
    consensus: float | str | None
    spread: float | None = Field(default=None, description="highest minus lowest value")
    sources: list[SourcePublic]
    deviates: bool = False
    explanation: str = ""


class AnswerPublic(BaseModel):
    id: int
    entity: str
    name: str
    country: str | None = None
    metric: str
    qualifier: str = ""
    period: str
    value: float | str | None
    unit: str | None
    original: str
    original_unit: str | None = None
    normalization: list[dict[str, object]] = Field(default_factory=list)
    dataset: str
    version: int
    row: int
    method: str
    verification: str
    created_at: datetime


class AnswerPage(BaseModel):
    items: list[AnswerPublic]
    total: int
    page: int
    page_size: int
    next: str | None = None


class VerificationIn(StrictInput):
    status: Status
    comment: str = Field(default="", max_length=5000)


class VerificationPublic(BaseModel):
    status: str
    previous: str
    comment: str
    actor: str
    created_at: datetime


class VerifiedAnswer(BaseModel):
    answer: AnswerPublic
    history: list[VerificationPublic]


class MappingPublic(BaseModel):
    id: int
    column: str
    metric: str
    kind: str
    unit: str | None
    period: str | None
    period_column: str | None
    qualifier: str
    method: str
    answers: int
    created_by: str
    created_at: datetime


class VersionMappings(BaseModel):
    """A version's mappings, and suggestions for the columns not mapped yet."""

    dataset: str
    version: int
    linked: list[str] = Field(description="the entity kinds its rows are linked to")
    mappings: list[MappingPublic]
    suggestions: list[MappingSuggestionOut]


class AttachmentPublic(BaseModel):
    id: int
    answer_id: int
    filename: str
    size_bytes: int
    comment: str
    created_by: str
    created_at: datetime
    url: str = Field(description="where whoever may see the answer downloads the file")
