"""Dataset metadata: create, find, list, edit; publishing rules for licenses and levels."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from laborcommons.access import (
    READABLE_BY_ANYONE,
    Reader,
    audit,
    may_edit,
    may_read_rows,
    refuse_shadowing,
)
from laborcommons.catalog.licenses import LICENSES, license_or_none, licensing_hint
from laborcommons.catalog.models import Dataset
from laborcommons.catalog.schemas import (
    DatasetCreate,
    DatasetPage,
    DatasetPublic,
    DatasetUpdate,
)
from laborcommons.catalog.service.addresses import address_of, resolve
from laborcommons.catalog.service.dictionary import merge_edits, shown_dictionary
from laborcommons.catalog.service.discovery import (
    DatasetFilters,
    Values,
    dataset_facets,
    matching,
)
from laborcommons.catalog.service.encryption import reseal_dataset
from laborcommons.catalog.service.organizations import get_organization
from laborcommons.catalog.service.statistics import erase_values
from laborcommons.core.db import utcnow
from laborcommons.core.errors import (
    BadRequest,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from laborcommons.privacy import models as privacy


def check_publishable(access: str, license_code: str | None) -> None:
    """`open` needs an open license and `public` needs some license: say how to get one."""
    lic = license_or_none(license_code)
    if access == "public" and lic is None:
        raise InvalidInput(
            "An unlicensed dataset cannot be made public. " + licensing_hint(),
            details={"field": "license", "access": access},
        )
    if access == "open" and (lic is None or not lic.open):
        reason = "has no license" if lic is None else f"uses {lic.id}, which is not open"
        opens = ", ".join(code for code, item in LICENSES.items() if item.open)
        raise InvalidInput(
            f"The dataset {reason}; the `open` level needs an open license ({opens}), "
            "or choose the `public` level. " + licensing_hint(),
            details={"field": "license", "access": access},
        )


def check_releasable(dataset: Dataset, access: str, *, session: Session) -> None:
    """Rows readable by anyone must not hold unresolved PII: the latest version is checked
    (older versions holding PII stay withheld; see ``readable_version``)."""
    if access not in READABLE_BY_ANYONE or not dataset.versions:
        return
    latest = dataset.versions[-1]
    if held := privacy.blocking_columns(session, latest.id):
        raise InvalidInput(
            f"Version {latest.number} still holds personal data in columns {', '.join(held)}; "
            f"resolve its PII findings before making the dataset {access}.",
            details={
                "field": "access",
                "access": access,
                "version": latest.number,
                "columns": held,
            },
        )


def require_edit(reader: Reader, dataset: Dataset) -> None:
    """Anonymous readers are asked to sign in (401); signed-in outsiders are refused (403)."""
    if may_edit(reader, owner_id=dataset.organization_id):
        return
    if reader.is_anonymous:
        raise NotAuthenticated(f"sign in to change dataset {dataset.slug!r}")
    raise Forbidden(f"you are not an owner or editor of dataset {dataset.slug!r}")


def check_period(start: date | None, end: date | None) -> None:
    """A period ends on or after it starts; checked on the values the dataset would hold, so
    a PATCH of one end is checked against the stored other end."""
    if start and end and end < start:
        raise InvalidInput(
            f"period_end {end.isoformat()} is before period_start {start.isoformat()}",
            details={"field": "period_end"},
        )


def create_dataset(data: DatasetCreate, *, reader: Reader, session: Session) -> Dataset:
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to create a dataset")
    organization = get_organization(data.organization, session=session)
    if not may_edit(reader, owner_id=organization.id):
        raise Forbidden(f"you are not an owner or editor of {organization.slug!r}")
    refuse_shadowing(data.slug, dataset_id=None, reader=reader, session=session)
    check_publishable(data.access, data.license)
    check_period(data.period_start, data.period_end)
    fields = data.model_dump(exclude={"organization", "data_dictionary"}, exclude_none=True)
    dataset = Dataset(**fields, organization_id=organization.id, data_dictionary={})
    if data.data_dictionary:
        merge_edits(dataset, data.data_dictionary)
    session.add(dataset)
    session.flush()
    return dataset


def get_dataset(slug: str, *, reader: Reader, session: Session) -> Dataset:
    """The dataset ``slug`` (or ``organization~slug``) names for this reader; otherwise
    404, never 403 (see catalog.service.addresses)."""
    dataset = resolve(slug, reader=reader, session=session)
    if dataset is None:
        raise NotFound(f"no dataset {slug!r}")
    return dataset


def rows_readable(reader: Reader, dataset: Dataset, *, version: int | None = None) -> bool:
    """The rows of version ``version``, or of the whole dataset (every version) when None."""
    return may_read_rows(
        reader,
        owner_id=dataset.organization_id,
        level=dataset.access,
        dataset_id=dataset.id,
        version=version,
    )


def dataset_public(dataset: Dataset, *, reader: Reader) -> DatasetPublic:
    """The dataset as ``reader`` may see it: allowed values only for readers of the rows."""
    latest = dataset.versions[-1].number if dataset.versions else None
    readable = rows_readable(reader, dataset)
    return DatasetPublic(
        slug=dataset.slug,
        address=address_of(dataset),
        title=dataset.title,
        description=dataset.description,
        organization=dataset.organization.slug,
        organization_name=dataset.organization.name,
        data_type=dataset.data_type,
        methodology=dataset.methodology,
        sample_description=dataset.sample_description,
        unit_of_observation=dataset.unit_of_observation,
        period_start=dataset.period_start,
        period_end=dataset.period_end,
        coverage=dataset.coverage,
        keywords=dataset.keywords,
        license=license_or_none(dataset.license),
        access=dataset.access,
        discoverable=dataset.discoverable,
        contact=dataset.contact,
        source=dataset.source,
        citation=dataset.citation,
        data_dictionary=shown_dictionary(dataset, readable=readable),
        created_at=dataset.created_at,
        updated_at=dataset.updated_at,
        latest_version=latest,
        rows_readable=readable,
    )


def dataset_metadata(slug: str, *, reader: Reader, session: Session) -> DatasetPublic:
    """One dataset's metadata, already shaped for this reader (404 like ``get_dataset``)."""
    return dataset_public(get_dataset(slug, reader=reader, session=session), reader=reader)


def list_datasets(
    *,
    reader: Reader,
    session: Session,
    q: str | None = None,
    data_type: Values = None,
    organization: Values = None,
    license_code: Values = None,
    access: Values = None,
    country: Values = None,
    archetype: Values = None,
    period: Values = None,
    page: int = 1,
    page_size: int = 20,
    facets: bool = False,
) -> DatasetPage:
    """Search datasets this reader may discover, ranked when ``q`` has words; hidden ones
    count nowhere (not in items, total or facets). Filters take one value or several."""
    if not 1 <= page <= 1_000_000 or not 1 <= page_size <= 200:
        raise BadRequest("page must be between 1 and 1000000, page size between 1 and 200")
    filters = DatasetFilters.parse(
        session,
        data_type=data_type,
        organization=organization,
        license=license_code,
        access=access,
        country=country,
        archetype=archetype,
        period=period,
    )
    query = matching([Dataset], reader=reader, session=session, q=q, filters=filters)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.offset((page - 1) * page_size).limit(page_size)).unique()
    return DatasetPage(
        items=[dataset_public(d, reader=reader) for d in rows],
        total=total or 0,
        page=page,
        page_size=page_size,
        facets=dataset_facets(reader=reader, session=session, q=q, filters=filters)
        if facets
        else {},
    )


def _audit_level_changes(
    dataset: Dataset, changes: dict[str, object], *, reader: Reader, session: Session
) -> None:
    """Level and discoverability changes go to the trail, in the same transaction."""
    for field, action in (("access", "dataset.level"), ("discoverable", "dataset.discoverable")):
        before, after = getattr(dataset, field), changes.get(field, getattr(dataset, field))
        if after is not None and after != before:
            audit.record(
                session,
                actor=reader,
                action=action,
                organization_id=dataset.organization_id,
                dataset_id=dataset.id,
                level=str(changes.get("access") or dataset.access),
                details={"slug": dataset.slug, "from": before, "to": after},
            )


def update_dataset(slug: str, data: DatasetUpdate, *, reader: Reader, session: Session) -> Dataset:
    dataset = get_dataset(slug, reader=reader, session=session)
    require_edit(reader, dataset)
    changes = data.model_dump(exclude_unset=True, exclude={"data_dictionary"})
    check_publishable(
        changes.get("access", dataset.access), changes.get("license", dataset.license)
    )
    check_period(
        changes.get("period_start", dataset.period_start),
        changes.get("period_end", dataset.period_end),
    )
    if changes.get("access"):  # a level change: the latest version must hold no open PII
        check_releasable(dataset, changes["access"], session=session)
    if {"access", "discoverable"} & changes.keys():  # a wider audience must not meet a twin
        refuse_shadowing(dataset.slug, dataset_id=dataset.id, reader=reader, session=session)
    _audit_level_changes(dataset, changes, reader=reader, session=session)
    for field, value in changes.items():
        if value is None and field in {"title", "data_type", "access", "discoverable"}:
            raise InvalidInput(f"{field} cannot be empty", details={"field": field})
        if value is None and field in {"coverage", "keywords"}:
            value = []
        setattr(dataset, field, value)
    if data.data_dictionary is not None:
        known = {c["name"] for c in dataset.versions[-1].columns} if dataset.versions else None
        unknown = sorted(set(data.data_dictionary) - known) if known is not None else []
        if unknown:
            raise InvalidInput(
                f"data dictionary names columns the latest version does not have: {unknown}",
                details={"field": "data_dictionary", "unknown_columns": unknown},
            )
        merge_edits(dataset, data.data_dictionary)
    if "access" in changes:
        erase_values(dataset)  # a restricted level keeps counts and types only
        reseal_dataset(dataset, session=session)  # encrypt or decrypt its objects
    dataset.updated_at = utcnow()
    session.flush()
    return dataset
