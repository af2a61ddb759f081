"""What the standard exports describe, already decided by access for one reader.

The builders (``dcat``, ``schema_org``, ``sitemap``) are pure: they take these entries and
never ask who is reading. Datasets come from ``catalog.service`` (``list_datasets`` and
``get_dataset``, the one access decision), and each version says whether this reader may
read its rows, so a download link is only given where the download would succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog import service
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.catalog.schemas import DatasetPublic
from laborcommons.core.errors import BadRequest

DISTRIBUTED_FORMATS = ("csv", "json", "xlsx", "parquet")  # a dcat:Distribution each


@dataclass(frozen=True)
class DescribedVersion:
    number: int
    issued: datetime
    row_count: int
    size_bytes: int
    columns: tuple[str, ...]
    formats: tuple[str, ...]  # the download formats this reader may fetch; () when none


@dataclass(frozen=True)
class DescribedDataset:
    dataset: DatasetPublic
    organization_website: str | None
    versions: tuple[DescribedVersion, ...]

    @property
    def latest(self) -> DescribedVersion | None:
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True)
class DescribedPage:
    items: list[DescribedDataset]
    total: int
    page: int
    page_size: int

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _formats(version: DatasetVersion, *, reader: Reader, session: Session) -> tuple[str, ...]:
    """The formats whose download this reader would get (rows readable, not withheld, and
    XLSX only within Excel's row limit)."""
    if not service.rows_readable(reader, version.dataset, version=version.number):
        return ()
    if service.version_withheld(reader, version, session=session):
        return ()
    shown = []
    for fmt in DISTRIBUTED_FORMATS:
        try:
            service.check_export_format(version, fmt)
        except BadRequest:  # a refused format (XLSX past its row limit) is not offered
            continue
        shown.append(fmt)
    return tuple(shown)


def describe(dataset: Dataset, *, reader: Reader, session: Session) -> DescribedDataset:
    """One dataset the reader may discover (the caller found it through the access rule)."""
    versions = tuple(
        DescribedVersion(
            number=v.number,
            issued=v.created_at,
            row_count=v.row_count,
            size_bytes=v.size_bytes,
            columns=tuple(str(c["name"]) for c in v.columns),
            formats=_formats(v, reader=reader, session=session),
        )
        for v in dataset.versions
    )
    return DescribedDataset(
        dataset=service.dataset_public(dataset, reader=reader),
        organization_website=dataset.organization.website,
        versions=versions,
    )


def described_dataset(address: str, *, reader: Reader, session: Session) -> DescribedDataset:
    """The dataset ``address`` names for this reader (404 like a missing one when hidden)."""
    found = service.get_dataset(address, reader=reader, session=session)
    return describe(found, reader=reader, session=session)


def described_page(
    *, reader: Reader, session: Session, page: int = 1, page_size: int = 100
) -> DescribedPage:
    """A page of the datasets this reader may discover, newest first."""
    listed = service.list_datasets(reader=reader, session=session, page=page, page_size=page_size)
    items = [described_dataset(d.address, reader=reader, session=session) for d in listed.items]
    return DescribedPage(items=items, total=listed.total, page=page, page_size=page_size)
