"""What the scan keeps per column while it streams, and what it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

PiiKind = Literal["email", "phone", "iban", "national-id", "person-name", "identifier"]
PII_KINDS: tuple[PiiKind, ...] = (
    "email", "phone", "iban", "national-id", "person-name", "identifier",
)  # fmt: skip
EXAMPLES = 3


class PiiFinding(BaseModel):
    column: str
    kind: PiiKind
    detail: str  # which ID scheme, phone region, or "header" / "values" for names
    matches: int
    checked: int  # non-empty values looked at
    share: float
    examples: list[str]  # masked


class PiiReport(BaseModel):
    rows_scanned: int
    columns: list[str]
    findings: list[PiiFinding]


@dataclass
class ColumnEvidence:
    """Counts of what one column's values looked like (per kind and detail)."""

    name: str
    checked: int = 0
    hits: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> detail -> count
    examples: dict[str, list[str]] = field(default_factory=dict)
    shaped: int = 0
    formatted_phones: int = 0
    sampled: int = 0  # values checked while distinct values were still being counted
    distinct: int = 0

    def add(self, kind: str, detail: str, masked: str) -> None:
        details = self.hits.setdefault(kind, {})
        details[detail] = details.get(detail, 0) + 1
        shown = self.examples.setdefault(kind, [])
        if len(shown) < EXAMPLES and masked not in shown:
            shown.append(masked)

    def count(self, kind: str) -> int:
        return sum(self.hits.get(kind, {}).values())

    def share(self, kind: str) -> float:
        return self.count(kind) / self.checked if self.checked else 0.0

    def finding(
        self, kind: PiiKind, detail: str, matches: int, examples_of: str = ""
    ) -> PiiFinding:
        return PiiFinding(
            column=self.name,
            kind=kind,
            detail=detail,
            matches=matches,
            checked=self.checked,
            share=round(matches / self.checked, 4),
            examples=self.examples.get(examples_of or kind, [])[:EXAMPLES],
        )
