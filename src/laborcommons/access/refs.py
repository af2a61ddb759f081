"""What access needs to know about datasets and organizations, without importing catalog.

``access`` sits below ``catalog`` (the catalog asks the policy), so grants and requests
refer to the catalog's tables through these lightweight, read-only table clauses.

This module is also the one owner of dataset addresses (``slug`` or
``organization~slug``). Slugs are unique per organization, not node-wide: a node-wide
namespace answers "that slug is taken" to anyone who asks for a hidden dataset's slug. A
bare slug resolves among the datasets the reader may discover: exactly one is the answer,
none is 404 (the same as a missing dataset), several is 409 listing qualified addresses the
reader may already see. A bare slug never silently means a dataset other than the one the
reader sees, so links built from a slug cannot misdirect.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Boolean, Integer, String, column, select, table
from sqlalchemy.orm import Session

from laborcommons.access.policy import Reader, may_discover, may_edit, may_read_rows
from laborcommons.core.errors import Conflict, Forbidden, NotAuthenticated, NotFound

ADDRESS_SEPARATOR = "~"

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
    organization: str = ""

    @property
    def address(self) -> str:
        return dataset_address(self.organization, self.slug)

    def readable_by(self, reader: Reader) -> bool:
        return may_read_rows(reader, owner_id=self.owner_id, level=self.level, dataset_id=self.id)

    def discoverable_by(self, reader: Reader) -> bool:
        return may_discover(
            reader,
            owner_id=self.owner_id,
            level=self.level,
            dataset_id=self.id,
            discoverable=self.discoverable,
        )


@dataclass(frozen=True)
class OrganizationRef:
    id: int
    slug: str
    name: str


def dataset_address(organization: str, slug: str) -> str:
    """The address that names one dataset for every reader: ``organization~slug``."""
    return f"{organization}{ADDRESS_SEPARATOR}{slug}"


def _datasets(where: object, session: Session) -> list[DatasetRef]:
    query = (
        select(datasets, organizations.c.slug.label("organization"))
        .join(organizations, organizations.c.id == datasets.c.organization_id)
        .where(where)  # type: ignore[arg-type]
        .order_by(datasets.c.id)
    )
    return [
        DatasetRef(
            id=row.id,
            slug=row.slug,
            title=row.title,
            owner_id=row.organization_id,
            level=row.access,
            discoverable=bool(row.discoverable),
            organization=row.organization,
        )
        for row in session.execute(query)
    ]


def _dataset(where: object, session: Session) -> DatasetRef | None:
    found = _datasets(where, session)
    return found[0] if found else None


def dataset_refs_at(address: str, *, session: Session) -> list[DatasetRef]:
    """Every dataset an address could name, with no access decision (internal use only)."""
    organization, _, slug = address.rpartition(ADDRESS_SEPARATOR)
    where = datasets.c.slug == slug
    if organization:
        where = where & (organizations.c.slug == organization)
    return _datasets(where, session)


def resolve_dataset_ref(address: str, *, reader: Reader, session: Session) -> DatasetRef | None:
    """The one dataset ``address`` names for ``reader``; None when it names none they know."""
    known = [r for r in dataset_refs_at(address, session=session) if r.discoverable_by(reader)]
    if len(known) > 1:
        choices = sorted(r.address for r in known)
        raise Conflict(
            f"{address!r} names {len(known)} datasets you can see; "
            f"address one as {' or '.join(choices)}",
            details={"field": "slug", "addresses": choices},
        )
    return known[0] if known else None


def refuse_shadowing(
    slug: str, *, dataset_id: int | None, reader: Reader, session: Session
) -> None:
    """Refuse a slug that would make a dataset the reader can see ambiguous.

    Only datasets the reader may discover count, so the refusal tells them nothing new; a
    hidden dataset with the same slug elsewhere is allowed and keeps its own address.
    """
    for other in dataset_refs_at(slug, session=session):
        if other.id != dataset_id and other.discoverable_by(reader):
            raise Conflict(
                f"dataset {slug!r} already exists ({other.address}); choose another slug",
                details={"field": "slug", "address": other.address},
            )


def find_dataset_ref(slug: str, *, reader: Reader, session: Session) -> DatasetRef:
    """The dataset if this reader may discover it; 404 otherwise (never 403)."""
    ref = resolve_dataset_ref(slug, reader=reader, session=session)
    if ref is None:
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
