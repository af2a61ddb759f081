"""What the releases domain takes and returns: findings, resolutions, k-anonymity, lineage."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from laborcommons.catalog.schemas import VersionPublic
from laborcommons.core.schemas import StrictInput

Action = Literal["drop", "pseudonymize", "generalize", "accept"]
HierarchyKind = Literal["interval", "date", "arx", "suppress"]
Metric = Literal["discernibility", "average-class-size", "loss", "entropy"]
MIN_JUSTIFICATION = 15


class FindingPublic(BaseModel):
    id: int
    version: int
    column: str
    kind: str = Field(
        description="email, phone, iban, national-id, person-name or identifier (a person's key)"
    )
    count: int = Field(description="values of the column that look like this kind")
    share: float = Field(description="count / non-empty values scanned")
    examples: list[str] = Field(description="masked: the raw values never leave the rows")
    status: Literal["open", "resolved"]
    resolution: str | None
    justification: str | None
    parameters: dict[str, Any]
    resolved_by: str | None
    resolved_at: datetime | None
    resulting_version: int | None
    blocks_release: bool = Field(
        description="the identifiers still sit in this version's rows, not accepted"
    )


class LineageStep(BaseModel):
    dataset: str
    version: int
    derivation: dict[str, Any] | None = Field(
        description="how this version was derived from the next step (None: an upload)"
    )
    created_at: datetime


class Lineage(BaseModel):
    """This version and its ancestors, newest first, plus the versions derived from it."""

    steps: list[LineageStep]
    derived: list[LineageStep]


class VersionFindings(BaseModel):
    dataset: str
    version: int
    withheld_columns: list[str] = Field(
        description="columns that keep this version from readers outside the organization"
    )
    findings: list[FindingPublic]
    lineage: Lineage


class HierarchySpec(StrictInput):
    """A generalization hierarchy: ARX CSV rows (``value;level1;...;*``) or generated.

    ``interval``: numbers as intervals whose width doubles per level; ``date``: day, month,
    year; ``suppress``: the value or ``*``; ``arx``: the rows given in ``csv``.
    """

    kind: HierarchyKind
    csv: str | None = Field(
        default=None, max_length=5_000_000, description="ARX hierarchy rows, ';'-separated"
    )
    width: float | None = Field(default=None, gt=0, description="first interval width")
    file: str | None = Field(default=None, max_length=300, description="name shown in errors")

    @model_validator(mode="after")
    def _csv_for_arx(self) -> HierarchySpec:
        if self.kind == "arx" and not (self.csv or "").strip():
            raise ValueError("an arx hierarchy needs its CSV rows in `csv`")
        return self


class Resolution(StrictInput):
    action: Action
    justification: str | None = Field(
        default=None, description=f"why the data may stay (accept: {MIN_JUSTIFICATION}+ chars)"
    )
    domain: str | None = Field(
        default=None,
        max_length=100,
        description="pseudonymize: release domain; the same domain gives the same pseudonyms",
    )
    hierarchy: HierarchySpec | None = Field(default=None, description="generalize: how")
    level: int = Field(default=1, ge=1, description="generalize: hierarchy level to apply")
    message: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _complete(self) -> Resolution:
        if self.action == "accept":
            text = (self.justification or "").strip()
            if len(text) < MIN_JUSTIFICATION:
                raise ValueError(
                    f"accepting a finding needs a written justification of at least "
                    f"{MIN_JUSTIFICATION} characters"
                )
            self.justification = text
        if self.action == "generalize" and self.hierarchy is None:
            raise ValueError("generalize needs a hierarchy (interval, date, suppress or arx)")
        return self


class ResolutionResult(BaseModel):
    finding: FindingPublic
    version: VersionPublic | None = Field(description="the derived version, if one was made")


class KanonRequest(StrictInput):
    quasi_identifiers: list[str] = Field(min_length=1)
    hierarchies: dict[str, HierarchySpec] = Field(
        default_factory=dict,
        description="per quasi-identifier; missing ones are generated from the column type",
    )
    k: int = Field(ge=2, le=10_000)
    max_suppression: float = Field(default=0.0, ge=0.0, le=1.0)
    metric: Metric = "entropy"
    sensitive: str | None = None
    l: int | None = Field(default=None, ge=2)  # noqa: E741 (the literature's name)
    target: str | None = Field(
        default=None, description="dataset slug to write to (default: the same dataset)"
    )
    seed: int = 0
    message: str = Field(default="", max_length=2000)
    drop: list[str] = Field(
        default_factory=list, description="direct identifier columns to leave out of the release"
    )
    pseudonymize: list[str] = Field(
        default_factory=list, description="direct identifier columns to replace by pseudonyms"
    )
    domain: str | None = Field(
        default=None,
        max_length=100,
        description="pseudonymize: release domain (default: <dataset>-v<version>)",
    )

    @field_validator("quasi_identifiers", "drop", "pseudonymize")
    @classmethod
    def _distinct(cls, names: list[str]) -> list[str]:
        if len(set(names)) != len(names):
            raise ValueError("column names must be distinct")
        return names

    @model_validator(mode="after")
    def _l_needs_sensitive(self) -> KanonRequest:
        if (self.l is None) != (self.sensitive is None):
            raise ValueError("l-diversity needs both `sensitive` and `l`")
        if self.sensitive in self.quasi_identifiers:
            raise ValueError("the sensitive column cannot be a quasi-identifier")
        kept = {*self.quasi_identifiers, *([self.sensitive] if self.sensitive else [])}
        removed = [*self.drop, *self.pseudonymize]
        if clash := sorted((kept & set(removed)) | (set(self.drop) & set(self.pseudonymize))):
            raise ValueError(f"columns {', '.join(clash)} are given two roles")
        return self


class KanonResult(BaseModel):
    dataset: str
    version: VersionPublic
    report: dict[str, Any]
