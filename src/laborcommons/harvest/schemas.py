"""Input and output of harvesting: sources, runs and the remote entries they list."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from laborcommons.core.schemas import Slug, StrictInput

HarvestKind = Literal["ckan", "dcat"]


class SourceCreate(StrictInput):
    slug: Slug
    kind: HarvestKind
    url: str = Field(
        max_length=1000,
        pattern=r"^https?://[^\s]+$",
        description="ckan: the site's base URL; dcat: the catalog document's URL",
    )
    interval_minutes: int | None = Field(
        default=None, ge=5, le=525_600, description="run every N minutes via `harvest run --due`"
    )


class SourcePublic(BaseModel):
    slug: str
    kind: str
    url: str
    interval_minutes: int | None
    status: str = Field(description="never, running, ok or failed")
    started_at: datetime | None
    finished_at: datetime | None
    last_error: str
    last_count: int
    created_by: str


class SourceList(BaseModel):
    items: list[SourcePublic]


class RunResult(BaseModel):
    source: SourcePublic
    added: int = 0
    updated: int = 0
    removed: int = 0
    interrupted: str | None = Field(
        default=None, description="an earlier run that never finished, counted as failed"
    )


class RemoteRecord(BaseModel):
    """One dataset as a remote catalog describes it; too-long or missing fields fail the run."""

    remote_id: str = Field(min_length=1, max_length=500)
    title: str = Field(min_length=1, max_length=500)
    description: str = Field(default="", max_length=100_000)
    organization: str = Field(default="", max_length=300)
    license: str = Field(default="", max_length=300)
    keywords: list[str] = Field(default_factory=list, max_length=200)
    origin_url: str = Field(max_length=2000, pattern=r"^https?://")
    modified: datetime | None = None


class RemoteDatasetPublic(BaseModel):
    source: str
    source_url: str
    remote_id: str
    title: str
    description: str
    organization: str
    license: str
    keywords: list[str]
    origin_url: str = Field(description="the dataset's page in its own catalog")
    modified: datetime | None
    last_seen: datetime


class RemoteDatasetPage(BaseModel):
    items: list[RemoteDatasetPublic]
    total: int
    page: int
    page_size: int
    next: str | None = None
