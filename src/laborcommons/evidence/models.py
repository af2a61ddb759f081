"""Tables of evidence: the node's own metrics, column-to-metric mappings of linked versions,
the answers (observations) they made, and every verification of an answer.

The shipped metrics live in ``metrics.toml``, not here: answers name a metric by its key,
so a node's own metric and a shipped one are used the same way. Answers are never edited
in place except for their verification status, whose every change is kept in
``evidence_verifications``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from laborcommons.core.db import Base, UTCDateTime, utcnow

VALUE_TYPES = ("number", "share", "boolean", "category", "score")
METHODS = (
    "self-declared",
    "third-party-audit",
    "worker-survey",
    "payslip",
    "government-record",
    "media",
    "other",
)
VERIFICATIONS = ("flagged", "unverified", "community-verified", "steward-verified")


class NodeMetric(Base):
    """A metric this node added to the shipped vocabulary (same fields as ``metrics.toml``)."""

    __tablename__ = "evidence_metrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str | None] = mapped_column(String(60))
    value_type: Mapped[str] = mapped_column(String(20))
    allowed: Mapped[list[Any]] = mapped_column(JSON, default=list)
    period: Mapped[str] = mapped_column(String(20), default="year")
    tolerance: Mapped[float | None] = mapped_column(Float)
    tolerance_kind: Mapped[str] = mapped_column(String(10), default="relative")
    qualifier: Mapped[str | None] = mapped_column(String(60))
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    designer: Mapped[str] = mapped_column(String(300), default="")
    license: Mapped[str | None] = mapped_column(String(40))
    methodology: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MetricMapping(Base):
    """One column of a linked version read as one metric, with how to read it."""

    __tablename__ = "evidence_mappings"
    __table_args__ = (
        UniqueConstraint(
            "version_id", "column", "metric_key", "qualifier", name="uq_evidence_mappings_column"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="CASCADE"), index=True
    )
    column: Mapped[str] = mapped_column(String(700))
    metric_key: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str | None] = mapped_column(String(60))
    period: Mapped[str | None] = mapped_column(String(20))
    period_column: Mapped[str | None] = mapped_column(String(700))
    qualifier: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[str] = mapped_column(String(30))
    rates_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="SET NULL")
    )
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EvidenceAnswer(Base):
    """Entity x metric x period → value, from one row of one version.

    ``value``/``text_value`` are normalized to the metric's unit; ``original`` keeps the
    cell as written and ``normalization`` the factors applied, so every figure can be
    traced back to its source and checked."""

    __tablename__ = "evidence_answers"
    __table_args__ = (
        UniqueConstraint(
            "source_version_id",
            "source_row",
            "metric_key",
            "qualifier",
            name="uq_evidence_answers_source",
        ),
        Index("ix_evidence_answers_metric_period", "metric_key", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_key: Mapped[str] = mapped_column(String(80))
    qualifier: Mapped[str] = mapped_column(String(200), default="")
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Float)
    text_value: Mapped[str | None] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(60))
    original: Mapped[str] = mapped_column(String(300))
    original_unit: Mapped[str | None] = mapped_column(String(60))
    normalization: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source_version_id: Mapped[int] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="CASCADE"), index=True
    )
    source_row: Mapped[int]
    mapping_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_mappings.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(String(30), index=True)
    verification: Mapped[str] = mapped_column(String(20), default="unverified", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Verification(Base):
    """One change of an answer's verification status, by whom, with their comment."""

    __tablename__ = "evidence_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_answers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    previous: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(320))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Attachment(Base):
    """A file backing an answer (a payslip photo, an audit report page): stored sealed in
    the object store (``catalog.seal_attachment``), shown to whoever may see the answer."""

    __tablename__ = "evidence_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_answers.id", ondelete="CASCADE"), index=True
    )
    digest: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(300))
    size_bytes: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
