"""Tables of safe answers: approved questions, each reader's budget, the cached answers.

Datasets and versions are referenced by table name only (answers never imports catalog
models for its tables). Audience ids name a group or an organization by id, so renaming
either keeps the question's audience.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from laborcommons.core.db import Base, UTCDateTime, utcnow

DEFAULT_BUDGET = 10.0
DEFAULT_PERIOD_DAYS = 30


class Question(Base):
    """What an owner approved on a dataset: one algorithm, its column roles, its defences,
    the epsilon each uncached answer spends and the budget each reader has per period."""

    __tablename__ = "answer_questions"
    __table_args__ = (UniqueConstraint("dataset_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    algorithm: Mapped[str] = mapped_column(String(40))
    algorithm_version: Mapped[int] = mapped_column(default=1)
    subject: Mapped[str] = mapped_column(String(300))
    value: Mapped[str | None] = mapped_column(String(300))
    breakdowns: Mapped[list[Any]] = mapped_column(default=list)
    bounds: Mapped[list[Any] | None]
    min_subjects: Mapped[int]
    dominance_p: Mapped[float] = mapped_column(Float)
    epsilon: Mapped[float] = mapped_column(Float)
    budget: Mapped[float] = mapped_column(Float, default=DEFAULT_BUDGET)
    period_days: Mapped[int] = mapped_column(default=DEFAULT_PERIOD_DAYS)
    audience_kind: Mapped[str] = mapped_column(String(10), index=True)
    audience_id: Mapped[int | None]
    below: Mapped[float | None] = mapped_column(Float)
    below_column: Mapped[str | None] = mapped_column(String(700))
    bins: Mapped[list[Any] | None]
    quantiles: Mapped[list[Any] | None]
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Ledger(Base):
    """One reader's privacy spend on one question in the current period. The row is locked
    (an UPDATE first) before a spend, so simultaneous answers never overspend."""

    __tablename__ = "answer_ledgers"
    __table_args__ = (UniqueConstraint("question_id", "reader_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("answer_questions.id", ondelete="CASCADE"), index=True
    )
    reader_key: Mapped[str] = mapped_column(String(340))
    reader_name: Mapped[str] = mapped_column(String(320))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime())
    spent: Mapped[float] = mapped_column(Float, default=0.0)
    answers: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CachedAnswer(Base):
    """The one answer to a question on a version for a breakdown: noise drawn once, so
    asking again returns the same figures (nothing to average away) and costs nothing."""

    __tablename__ = "answer_cache"
    __table_args__ = (UniqueConstraint("question_id", "version_id", "breakdown"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("answer_questions.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="CASCADE"), index=True
    )
    breakdown: Mapped[str] = mapped_column(String(1000))
    cells: Mapped[list[Any]] = mapped_column(default=list)
    noise: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
