"""Input and output of safe answers: a question to enable, an answer's shape, the log."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from laborcommons.answers.spec import (
    DEFAULT_DOMINANCE_P,
    DEFAULT_MIN_SUBJECTS,
    MIN_SUBJECTS_FLOOR,
)
from laborcommons.core.schemas import StrictInput

AlgorithmName = Literal["count", "mean", "median", "share-below", "histogram", "quantiles"]
Column = Field(min_length=1, max_length=300)
Reason = Literal["threshold", "dominance", "secondary"]


class QuestionCreate(StrictInput):
    """A question an owner approves. ``breakdowns``: the fixed column sets a reader may
    group by; ``below_column``: a column of the dataset or ``DATASET:COL[@JOIN]`` (a
    per-country reference column of another dataset, joined on ``country`` by default)."""

    name: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")
    algorithm: AlgorithmName
    subject: str = Column
    value: str | None = Field(default=None, min_length=1, max_length=300)
    breakdowns: list[list[str]] = Field(min_length=1, max_length=8)
    bounds: tuple[float, float] | None = None
    min_subjects: int = Field(default=DEFAULT_MIN_SUBJECTS, ge=MIN_SUBJECTS_FLOOR, le=100_000)
    dominance_p: float = Field(default=DEFAULT_DOMINANCE_P, gt=0, le=100)
    epsilon: float = Field(default=1.0, gt=0, le=100)
    budget: float = Field(default=10.0, gt=0, le=10_000)
    period_days: int = Field(default=30, ge=1, le=366)
    audience: str = Field(default="anyone", max_length=110, pattern=r"^(anyone|(group|org):.+)$")
    below: float | None = None
    below_column: str | None = Field(default=None, min_length=1, max_length=700)
    bins: list[float] | None = Field(default=None, max_length=100)
    quantiles: list[float] | None = Field(default=None, max_length=20)


class AskRequest(StrictInput):
    by: list[str] = Field(default_factory=list, max_length=8, description="an allowed breakdown")


class QuestionPublic(BaseModel):
    name: str
    dataset: str
    algorithm: str = Field(description="name@version, e.g. mean@1")
    subject: str
    value: str | None
    breakdowns: list[list[str]]
    bounds: list[float] | None
    min_subjects: int
    dominance_p: float
    epsilon: float
    budget: float
    period_days: int
    audience: str
    below: float | None
    below_column: str | None
    bins: list[float] | None
    quantiles: list[float] | None


class CellPublic(BaseModel):
    group: dict[str, Any]
    value: float | None
    suppressed: bool
    reason: Reason | None


class NoisePublic(BaseModel):
    mechanism: str
    epsilon: float
    error_95: float


class BudgetPublic(BaseModel):
    spent: float
    left: float
    renews_at: datetime


class AnswerPublic(BaseModel):
    question: str
    algorithm: str = Field(description="name@version, e.g. mean@1")
    version: int = Field(description="the dataset version answered (always the latest)")
    by: list[str]
    cells: list[CellPublic]
    noise: NoisePublic
    budget: BudgetPublic
    cached: bool


class ReaderBudget(BaseModel):
    reader: str
    spent: float
    left: float
    answers: int
    renews_at: datetime


class LogEntry(BaseModel):
    at: datetime
    reader: str
    outcome: str
    version: int | None
    by: list[str]
    cached: bool | None
    epsilon_spent: float
    cohort_sizes: list[int]


class QuestionLog(BaseModel):
    question: str
    budgets: list[ReaderBudget]
    entries: list[LogEntry]
