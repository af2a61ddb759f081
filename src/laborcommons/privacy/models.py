"""Tables of privacy: PII findings per dataset version and pseudonym domain keys.

Versions are referenced by table name only: privacy sits below the catalog and never
imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from laborcommons.core.db import Base, UTCDateTime, utcnow
from laborcommons.privacy.pii import scan_table

FINDING_STATUSES = ("open", "resolved")
RESOLUTIONS = ("drop", "pseudonymize", "generalize", "accept")
DERIVING_RESOLUTIONS = frozenset({"drop", "pseudonymize", "generalize"})


class PiiFinding(Base):
    """A column of one version that holds direct identifiers of one kind, and its fate.

    ``examples`` are masked before they are stored; the raw values never leave the rows.
    A finding resolved by drop/pseudonymize/generalize points to the derived version; its
    own version still holds the values, so that version stays withheld from the public.
    """

    __tablename__ = "pii_findings"
    __table_args__ = (UniqueConstraint("version_id", "column", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="CASCADE"), index=True
    )
    column: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    count: Mapped[int]
    share: Mapped[float] = mapped_column(Float)
    examples: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    resolution: Mapped[str | None] = mapped_column(String(20))
    justification: Mapped[str | None] = mapped_column(Text)
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    resolved_by: Mapped[str | None] = mapped_column(String(320))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resulting_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def blocks_release(self) -> bool:
        """True while this version's rows still hold the identifiers unaccepted."""
        return self.status == "open" or self.resolution in DERIVING_RESOLUTIONS


class PseudonymDomain(Base):
    """A release domain's HMAC key, wrapped under the node's master key (never plain).

    Pseudonyms are consistent inside a domain and unlinkable across domains; an
    organization reuses a domain by name to keep two releases linkable.
    """

    __tablename__ = "pseudonym_domains"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    wrapped_key: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@dataclass(frozen=True)
class Found:
    """One column and kind the scanner reported (examples already masked)."""

    column: str
    kind: str
    count: int
    share: float
    examples: list[str]


def findings_of(session: Session, version_id: int) -> list[PiiFinding]:
    return list(
        session.scalars(
            select(PiiFinding)
            .where(PiiFinding.version_id == version_id)
            .order_by(PiiFinding.column, PiiFinding.kind)
        )
    )


def store_findings(
    session: Session,
    *,
    version_id: int,
    found: Iterable[Found],
    derived_from: int | None = None,
) -> list[PiiFinding]:
    """Store a version's findings; acceptances of the version it derives from carry over.

    Only an explicit acceptance carries (same column and kind, justification kept), so a
    derived version does not ask again what its publisher already answered; anything else
    starts open.
    """
    accepted = {
        (f.column, f.kind): f
        for f in (findings_of(session, derived_from) if derived_from is not None else [])
        if f.resolution == "accept"
    }
    rows = []
    for item in found:
        row = PiiFinding(
            version_id=version_id,
            column=item.column,
            kind=item.kind,
            count=item.count,
            share=item.share,
            examples=list(item.examples),
            status="open",
            parameters={},
        )
        earlier = accepted.get((item.column, item.kind))
        if earlier is not None:
            row.status, row.resolution = "resolved", "accept"
            row.justification = earlier.justification
            row.resolved_by, row.resolved_at = earlier.resolved_by, utcnow()
            row.parameters = {"carried_from_finding": earlier.id}
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def blocking_columns(session: Session, version_id: int) -> list[str]:
    """Columns whose identifiers still sit in this version's rows, unaccepted.

    A version with any is never served to readers who are not members of its owner.
    """
    return sorted({f.column for f in findings_of(session, version_id) if f.blocks_release})


def blocking_clause() -> ColumnElement[bool]:
    """Mirror of ``PiiFinding.blocks_release`` as a WHERE clause (tested to agree)."""
    return or_(PiiFinding.status == "open", PiiFinding.resolution.in_(sorted(DERIVING_RESOLUTIONS)))


def scan_version(
    session: Session,
    *,
    version_id: int,
    rows: Any,
    countries: Sequence[str],
    derived_from: int | None = None,
) -> list[PiiFinding]:
    """Scan a new version's rows (an Arrow table or record batches) and store the findings.

    The dataset's countries are the phone and national-ID hints.
    """
    report = scan_table(rows, countries=list(countries))
    found = [Found(f.column, f.kind, f.matches, f.share, list(f.examples)) for f in report.findings]
    return store_findings(session, version_id=version_id, found=found, derived_from=derived_from)
