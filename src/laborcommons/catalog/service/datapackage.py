"""A Frictionless (tabular) Data Package for one version, from its metadata alone.

The resource's ``path`` is the version's CSV download with ``safe=false``: a Data Package
reader must get the values as stored, not with the apostrophe the spreadsheet-safe CSV puts
before ``=``, ``+``, ``-`` and ``@``. ``bytes`` and ``hash`` are left out because the CSV is
written per request, not stored. Readers who may discover but not read a restricted
dataset get the same descriptor (the schema is metadata): the path then answers them as
any download does, and ``laborcommons:rows_readable`` says so in advance.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.licenses import license_or_none
from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.service.addresses import address_of
from laborcommons.catalog.service.datasets import rows_readable
from laborcommons.catalog.service.statistics import shown_columns
from laborcommons.catalog.service.versions import get_version

CSV_MISSING = [""]  # what the CSV export writes for a missing value


def data_package(
    slug: str, number: int, *, reader: Reader, session: Session, base_url: str
) -> dict[str, Any]:
    """The descriptor of version ``number`` (404 like ``get_version``)."""
    version = get_version(slug, number, reader=reader, session=session)
    dataset = version.dataset
    download = (
        f"{base_url.rstrip('/')}/api/v1/datasets/{quote(address_of(dataset))}"
        f"/versions/{version.number}/download?format=csv&safe=false"
    )
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": dataset.slug.lower(),
        "id": download.split("/download")[0],
        "title": dataset.title,
        "version": str(version.number),
        "created": version.created_at.isoformat(),
        "contributors": [
            {"title": dataset.organization.name, "role": "publisher"},
        ],
        "keywords": list(dataset.keywords),
        "resources": [_resource(version, download, readable=rows_readable(reader, dataset))],
    }
    if dataset.description:
        descriptor["description"] = dataset.description
    chosen = license_or_none(dataset.license)
    if chosen is not None:
        descriptor["licenses"] = [{"name": chosen.id, "path": chosen.url, "title": chosen.title}]
    if dataset.source:
        descriptor["sources"] = [{"title": dataset.source}]
    return descriptor


def _resource(version: DatasetVersion, path: str, *, readable: bool) -> dict[str, Any]:
    return {
        "profile": "tabular-data-resource",
        "name": version.dataset.slug.lower(),
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": table_schema(version),
        "laborcommons:rows_readable": readable,
    }


def table_schema(version: DatasetVersion) -> dict[str, Any]:
    """Fields typed as stored, described by the data dictionary; ``required`` only where
    the version has no missing value, ``primaryKey`` only where the upload declared one."""
    dictionary = version.dataset.data_dictionary
    fields = []
    for column in shown_columns(version, readable=False, node=None):
        field: dict[str, Any] = {"name": column.name, "type": column.type}
        entry = dictionary.get(column.name, {})
        if entry.get("description"):
            field["description"] = entry["description"]
        if entry.get("unit"):
            field["laborcommons:unit"] = entry["unit"]
        if column.stats is not None and column.stats.nulls == 0 and version.row_count:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": CSV_MISSING}
    if version.primary_key:
        schema["primaryKey"] = list(version.primary_key)
    return schema
