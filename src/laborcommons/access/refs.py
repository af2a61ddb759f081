"""What access needs to know about datasets and organizations, without importing catalog.

``access`` sits below ``catalog`` (the catalog asks the policy), so grants and requests
refer to the catalog's tables through these lightweight, read-only table clauses.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Boolean, Integer, String, column, select, table
from sqlalchemy.orm import Session

from laborcommons.access.policy import Reader, may_discover, may_edit, may_read_rows
from laborcommons.core.errors import Forbidden, NotAuthenticated, NotFound

datasets = table(
    "datasets",
    column("id", Integer),
    column("slug", String),
    column("title", String),
    column("organization_id", Integer),
    column("access", String),
    column("discoverable", Boolean),
)
dataset_versions = table(
    "dataset_versions", column("dataset_id", Integer), column("number", Integer)
)
organizations = table(
    "organizations", column("id", Integer), column("slug", String), column("name", String)
)


@dataclass(frozen=True)
class DatasetRef:
    id: int
    slug: str
    title: str
    owner_id: int
    level: str
    discoverable: bool

    def readable_by(self, reader: Reader) -> bool:
        return may_read_rows(reader, owner_id=self.owner_id, level=self.level, dataset_id=self.id)

    def discoverable_by(self, reader: Reader) -> bool:
        return may_discover(
            reader, owner_id=self.owner_id, level=self.level, dataset_id=self.id,
            discoverable=self.discoverable,
        )  # fmt: skip


@dataclass(frozen=True)
class OrganizationRef:
    id: int
    slug: str
    name: str


def _dataset(where: object, session: Session) -> DatasetRef | None:
    row = session.execute(select(datasets).where(where)).first()  # type: ignore[arg-type]
    if row is None:
        return None
    return DatasetRef(
        id=row.id, slug=row.slug, title=row.title, owner_id=row.organization_id,
        level=row.access, discoverable=bool(row.discoverable),
    )  # fmt: skip


def find_dataset_ref(slug: str, *, reader: Reader, session: Session) -> DatasetRef:
    """The dataset if this reader may discover it; 404 otherwise (never 403)."""
    ref = _dataset(datasets.c.slug == slug, session)
    if ref is None or not ref.discoverable_by(reader):
        raise NotFound(f"no dataset {slug!r}")
    return ref


def dataset_ref_by_id(dataset_id: int, *, session: Session) -> DatasetRef:
    ref = _dataset(datasets.c.id == dataset_id, session)
    if ref is None:
        raise NotFound(f"no dataset with id {dataset_id}")
    return ref


def managed_dataset_ref(slug: str, *, reader: Reader, session: Session) -> DatasetRef:
    """A dataset whose grants, requests and trail this reader manages (owner/editor/admin).

    Hidden: 404. Visible but not theirs: 401 for anonymous readers, 403 for others.
    """
    ref = find_dataset_ref(slug, reader=reader, session=session)
    if may_edit(reader, owner_id=ref.owner_id):
        return ref
    if reader.is_anonymous:
        raise NotAuthenticated(f"sign in to manage access to dataset {slug!r}")
    raise Forbidden(f"only owners and editors of {slug!r} manage its access and read its trail")


def organization_ref(slug: str, *, session: Session) -> OrganizationRef:
    row = session.execute(select(organizations).where(organizations.c.slug == slug)).first()
    if row is None:
        raise NotFound(f"no organization {slug!r}")
    return OrganizationRef(id=row.id, slug=row.slug, name=row.name)


def organization_slugs(ids: set[int], *, session: Session) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(organizations.c.id, organizations.c.slug).where(organizations.c.id.in_(ids))
    )
    return {row.id: row.slug for row in rows}


def dataset_slugs(ids: set[int], *, session: Session) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(datasets.c.id, datasets.c.slug).where(datasets.c.id.in_(ids)))
    return {row.id: row.slug for row in rows}


def dataset_version_numbers(dataset_id: int, *, session: Session) -> set[int]:
    query = select(dataset_versions.c.number).where(dataset_versions.c.dataset_id == dataset_id)
    return set(session.scalars(query))
