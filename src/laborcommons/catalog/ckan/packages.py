"""Datasets, organizations and licenses as CKAN 2.10 dicts (package, organization, license).

A package is a dataset; its ``id`` is the dataset's address (``organization~slug``) and its
``name`` the same address in CKAN's name alphabet (``organization_slug``: slugs never hold
``_``), so a harvesting CKAN can store it. Resources are the version downloads, one per
version and format, and only for readers of that version's rows: a discoverable restricted
dataset is listed with no resources and an ``access_request_url`` extra saying where to ask.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from laborcommons.access import READABLE_BY_ANYONE, Reader
from laborcommons.catalog.licenses import LICENSES, license_or_none
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.catalog.service import (
    EXPORT_FORMATS,
    check_export_format,
    get_dataset,
    is_withheld,
    rows_readable,
)
from laborcommons.core.errors import BadRequest, NotFound

RESOURCE_FORMATS = ("csv", "json", "xlsx", "parquet")
NAME_SEPARATOR = "_"
ADDRESS_SEPARATOR = "~"


def ckan_time(moment: datetime) -> str:
    """CKAN's timestamps: ISO 8601 in UTC without an offset."""
    return moment.replace(tzinfo=None).isoformat()


def package_name(dataset: Dataset) -> str:
    return f"{dataset.organization.slug}{NAME_SEPARATOR}{dataset.slug}"


def package_address(dataset: Dataset) -> str:
    return f"{dataset.organization.slug}{ADDRESS_SEPARATOR}{dataset.slug}"


def find_package(ref: str, *, reader: Reader, session: Session) -> Dataset:
    """The dataset a package ``id`` or ``name`` (or a bare slug) names for this reader; a
    hidden one is a 404 worded exactly like a missing one (``get_dataset``)."""
    address = ref.replace(NAME_SEPARATOR, ADDRESS_SEPARATOR, 1)
    return get_dataset(address, reader=reader, session=session)


class OrganizationLike(Protocol):
    """The stored organization or its public shape (which carries the reader's count)."""

    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def public_summary(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


def organization_dict(
    organization: OrganizationLike, *, package_count: int | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": organization.slug,
        "name": organization.slug,
        "title": organization.name,
        "display_name": organization.name,
        "description": organization.public_summary,
        "image_url": "",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "created": ckan_time(organization.created_at),
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def readable_versions(
    dataset: Dataset, *, reader: Reader, session: Session
) -> list[DatasetVersion]:
    """The versions whose rows this reader may download (as ``readable_version`` decides)."""
    return [
        v
        for v in dataset.versions
        if rows_readable(reader, dataset, version=v.number)
        and not is_withheld(
            reader,
            owner_id=dataset.organization_id,
            level=dataset.access,
            version_id=v.id,
            session=session,
        )
    ]


def resource_id(dataset: Dataset, number: int, fmt: str) -> str:
    return f"{package_address(dataset)}{ADDRESS_SEPARATOR}{number}{ADDRESS_SEPARATOR}{fmt}"


def _resource(dataset: Dataset, version: DatasetVersion, fmt: str, base_url: str) -> dict[str, Any]:
    address = package_address(dataset)
    return {
        "id": resource_id(dataset, version.number, fmt),
        "package_id": address,
        "name": f"{dataset.title} (version {version.number}, {fmt.upper()})",
        "description": version.message,
        "format": fmt.upper(),
        "mimetype": EXPORT_FORMATS[fmt].split(";")[0],
        "url": f"{base_url}/api/v1/datasets/{address}/versions/{version.number}/download"
        f"?format={fmt}",
        "url_type": None,
        "size": None,
        "hash": "",
        "state": "active",
        "created": ckan_time(version.created_at),
        "last_modified": ckan_time(version.created_at),
        "position": 0,
    }


def resources(
    dataset: Dataset, *, reader: Reader, session: Session, base_url: str
) -> list[dict[str, Any]]:
    """One resource per readable version and format, newest version first."""
    result = []
    for version in reversed(readable_versions(dataset, reader=reader, session=session)):
        for fmt in RESOURCE_FORMATS:
            try:
                check_export_format(version, fmt)
            except BadRequest:
                continue  # XLSX past Excel's row limit
            result.append(_resource(dataset, version, fmt, base_url))
    for position, resource in enumerate(result):
        resource["position"] = position
    return result


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _extras(dataset: Dataset, *, readable: bool, base_url: str) -> list[dict[str, str]]:
    pairs = {
        "access_level": dataset.access,
        "data_type": dataset.data_type,
        "methodology": dataset.methodology,
        "sample_description": dataset.sample_description,
        "unit_of_observation": dataset.unit_of_observation,
        "coverage": ",".join(dataset.coverage),
        "period_start": _day(dataset.period_start),
        "period_end": _day(dataset.period_end),
        "contact": dataset.contact,
        "source": dataset.source,
        "citation": dataset.citation,
        "rows_readable": "true" if readable else "false",
    }
    if not readable:
        pairs["access_request_url"] = (
            f"{base_url}/datasets/{package_address(dataset)}/request-access"
        )
    return [{"key": k, "value": v} for k, v in pairs.items()]


def package_dict(
    dataset: Dataset, *, reader: Reader, session: Session, base_url: str
) -> dict[str, Any]:
    """The dataset as CKAN's ``package_show`` would return it, for this reader."""
    lic = license_or_none(dataset.license)
    found = resources(dataset, reader=reader, session=session, base_url=base_url)
    tags = [{"name": k, "display_name": k, "state": "active"} for k in dataset.keywords]
    return {
        "id": package_address(dataset),
        "name": package_name(dataset),
        "title": dataset.title,
        "notes": dataset.description,
        "url": f"{base_url}/datasets/{package_address(dataset)}",
        "type": "dataset",
        "state": "active",
        "private": dataset.access not in READABLE_BY_ANYONE,
        "license_id": lic.id if lic else "notspecified",
        "license_title": lic.title if lic else "License not specified",
        "license_url": lic.url if lic else "",
        "isopen": bool(lic and lic.open and dataset.access == "open"),
        "author": dataset.organization.name,
        "author_email": None,
        "maintainer": None,
        "maintainer_email": dataset.contact or None,
        "version": str(dataset.versions[-1].number) if dataset.versions else None,
        "owner_org": dataset.organization.slug,
        "organization": organization_dict(dataset.organization),
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(dataset.updated_at),
        "tags": tags,
        "num_tags": len(tags),
        "groups": [],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "extras": _extras(dataset, readable=rows_readable(reader, dataset), base_url=base_url),
        "resources": found,
        "num_resources": len(found),
    }


def find_resource(ref: str, *, reader: Reader, session: Session, base_url: str) -> dict[str, Any]:
    """One resource by id; a resource this reader may not download is a 404, like a
    missing one (its dataset may be hidden, or discoverable with unreadable rows)."""
    parts = ref.split(ADDRESS_SEPARATOR)
    if len(parts) != 4:
        raise NotFound(f"no resource {ref!r}")
    try:
        dataset = find_package(ADDRESS_SEPARATOR.join(parts[:2]), reader=reader, session=session)
    except NotFound:
        raise NotFound(f"no resource {ref!r}") from None
    for resource in resources(dataset, reader=reader, session=session, base_url=base_url):
        if resource["id"] == ref:
            return resource
    raise NotFound(f"no resource {ref!r}")


def license_dicts() -> list[dict[str, Any]]:
    """``license_list``: the node's license table in CKAN's shape."""
    return [
        {
            "id": lic.id,
            "title": lic.title,
            "url": lic.url,
            "od_conformance": "approved" if lic.open else "not reviewed",
            "osd_conformance": "not reviewed",
            "status": "active",
            "maintainer": "",
            "family": "",
            "domain_content": False,
            "domain_data": True,
            "domain_software": False,
        }
        for lic in LICENSES.values()
    ]
