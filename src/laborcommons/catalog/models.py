"""Tables of the catalog: organizations, datasets and their immutable versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from laborcommons.core.db import Base, UTCDateTime, utcnow


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    archetype: Mapped[str] = mapped_column(String(40), index=True)
    countries: Mapped[list[Any]] = mapped_column(default=list)
    website: Mapped[str | None] = mapped_column(String(500))
    contact: Mapped[str | None] = mapped_column(String(320))
    has_api: Mapped[bool] = mapped_column(default=False)
    api_url: Mapped[str | None] = mapped_column(String(500))
    formats: Mapped[list[Any]] = mapped_column(default=list)
    tools: Mapped[list[Any]] = mapped_column(default=list)
    data_types: Mapped[list[Any]] = mapped_column(default=list)
    public_summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # "pending" until the node admin approves it, when the node requires approval.
    status: Mapped[str] = mapped_column(String(20), default="approved", server_default="approved")


class Dataset(Base):
    __tablename__ = "datasets"
    # Slugs are per organization: a node-wide namespace would tell a creator that a hidden
    # dataset holds the slug they asked for (see catalog.service.addresses).
    __table_args__ = (UniqueConstraint("organization_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    data_type: Mapped[str] = mapped_column(String(40), index=True)
    methodology: Mapped[str] = mapped_column(Text, default="")
    sample_description: Mapped[str] = mapped_column(Text, default="")
    unit_of_observation: Mapped[str] = mapped_column(String(300), default="")
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    coverage: Mapped[list[Any]] = mapped_column(default=list)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    license: Mapped[str | None] = mapped_column(String(40), index=True)
    access: Mapped[str] = mapped_column(String(20), default="internal", index=True)
    discoverable: Mapped[bool] = mapped_column(default=False)
    contact: Mapped[str] = mapped_column(String(320), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    citation: Mapped[str] = mapped_column(Text, default="")
    data_dictionary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organization: Mapped[Organization] = relationship(lazy="joined")
    versions: Mapped[list[DatasetVersion]] = relationship(
        back_populates="dataset", order_by="DatasetVersion.number", lazy="selectin"
    )


class DatasetVersion(Base):
    """One accepted upload; rows never change (nothing is edited in place)."""

    __tablename__ = "dataset_versions"
    __table_args__ = (UniqueConstraint("dataset_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    number: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    parquet_sha256: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(20))
    sheet: Mapped[str | None] = mapped_column(String(200))
    size_bytes: Mapped[int]
    row_count: Mapped[int]
    columns: Mapped[list[Any]] = mapped_column(default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_email: Mapped[str | None] = mapped_column(String(320))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    derived_from_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="SET NULL")
    )
    derivation: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # lineage: how, with what
    doi: Mapped[str | None] = mapped_column(String(200))  # once minted (docs/standards.md)
    primary_key: Mapped[list[Any] | None] = mapped_column(JSON)  # from the upload's Table Schema

    dataset: Mapped[Dataset] = relationship(back_populates="versions")


# Identical content (and sheet) makes no new version: the database holds it even when
# two uploads race (migration 0006, crash-safety part).
Index(
    "uq_dataset_versions_content",
    DatasetVersion.dataset_id,
    DatasetVersion.sha256,
    func.coalesce(DatasetVersion.sheet, ""),
    unique=True,
)
