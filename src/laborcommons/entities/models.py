"""Tables of shared identities: entities, their names, identifiers, relations and history,
and the linking of dataset rows to them (jobs, links, review candidates, human decisions).

An entity is never deleted: a merge marks it ``merged`` with ``merged_into_id`` (its lcid
becomes an alias that lookups follow), a split marks it ``split`` and creates new ones. So an
lcid, once issued, is never reused.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from laborcommons.core.db import Base, UTCDateTime, utcnow

KINDS = ("facility", "company", "brand")
STATUSES = ("active", "merged", "split")
PREDICATES = ("operated_by", "owned_by", "sources_from")
LINK_STATUSES = ("linked", "review", "new")
LINK_METHODS = ("identifier", "probabilistic", "decision", "new")
JOB_STATUSES = ("pending", "running", "done", "failed")
CANDIDATE_STATUSES = ("open", "accepted", "rejected")
DECISIONS = ("must-link", "cannot-link")


class Entity(Base):
    """A facility, company or brand; ``name``/``address`` as given, ``*_ascii`` transliterated."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    lcid: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(500))
    name_ascii: Mapped[str] = mapped_column(String(500), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    address_ascii: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    sector: Mapped[str | None] = mapped_column(String(200))
    workers_min: Mapped[int | None]
    workers_max: Mapped[int | None]
    legal_name: Mapped[str | None] = mapped_column(String(500))
    jurisdiction: Mapped[str | None] = mapped_column(String(10))
    registration_number: Mapped[str | None] = mapped_column(String(100))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    source_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="SET NULL")
    )
    source_row: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EntityName(Base):
    """Another name (and address) this entity was seen under, with where it was seen."""

    __tablename__ = "entity_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    name_ascii: Mapped[str] = mapped_column(String(500), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    address_ascii: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(40))
    source_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="SET NULL")
    )
    source_row: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EntityIdentifier(Base):
    """One (scheme, value) of the crosswalk; a value belongs to one entity per scheme."""

    __tablename__ = "entity_identifiers"
    __table_args__ = (UniqueConstraint("scheme", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(200))
    source_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EntityRelation(Base):
    """``subject predicate object`` (facility operated_by company, brand sources_from
    facility, company owned_by company) for a period, from a dataset version."""

    __tablename__ = "entity_relations"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    predicate: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    tier: Mapped[int | None]
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    source_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EntityEvent(Base):
    """History of an entity and the change feed: ``id`` only grows, so ``since`` works."""

    __tablename__ = "entity_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    lcid: Mapped[str] = mapped_column(String(20))
    event: Mapped[str] = mapped_column(String(40))
    other_lcid: Mapped[str | None] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(320))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LinkJob(Base):
    """Linking the rows of one dataset version to entities of one kind."""

    __tablename__ = "link_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("dataset_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    relation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    upper: Mapped[float] = mapped_column(Float)
    lower: Mapped[float] = mapped_column(Float)
    dry_run: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    worker_pid: Mapped[int | None]
    worker_host: Mapped[str | None] = mapped_column(String(300))
    """``hostname/boot id`` of the process running the job (with ``worker_pid``)."""
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RowLink(Base):
    """Where one row of a version stands: ``linked``/``new`` (with its entity) or ``review``."""

    __tablename__ = "row_links"
    __table_args__ = (UniqueConstraint("version_id", "kind", "row_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("dataset_versions.id"))
    kind: Mapped[str] = mapped_column(String(20))
    row_number: Mapped[int]
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("link_jobs.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), index=True)
    method: Mapped[str] = mapped_column(String(20))
    probability: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReviewCandidate(Base):
    """A row and a candidate entity a reviewer should decide on, with the evidence."""

    __tablename__ = "review_candidates"
    __table_args__ = (Index("ix_review_candidates_version_row", "version_id", "row_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("link_jobs.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(ForeignKey("dataset_versions.id"))
    kind: Mapped[str] = mapped_column(String(20))
    row_number: Mapped[int]
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    comparison: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    decided_by: Mapped[str | None] = mapped_column(String(320))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MatchDecision(Base):
    """A human must-link / cannot-link between a normalized record and an entity.

    Keyed by the deciding organization and the record's fingerprint, so the same record in
    a later upload of that organization is decided without asking again; decisions always
    win over the matching engine, within the organization that made them.
    """

    __tablename__ = "match_decisions"
    __table_args__ = (UniqueConstraint("organization_id", "fingerprint", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    """The organization that decided: its decision applies to its own datasets only."""
    fingerprint: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    decision: Mapped[str] = mapped_column(String(12))
    decided_by: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
