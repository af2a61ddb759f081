"""Immutable dataset versions: one accepted upload = original + normalized Parquet.

One ingest is one transaction. The original and its Parquet wait in staging (tmp and
``objects/staging``, named after the node so a crashed node's leftovers are swept at the
next start) until every check passed; only then are they placed, sealed when the level is
restricted, so a crash never leaves a restricted version's plaintext under a final name.
Version numbers are claimed under a lock on the dataset row, backed by the unique
(dataset, number) and (dataset, content, sheet) constraints with a retry.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from laborcommons.access import READABLE_BY_ANYONE, Reader, audit, read_basis
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.catalog.schemas import VersionCreated, VersionPublic
from laborcommons.catalog.service import dictionary
from laborcommons.catalog.service.citation import citation_of
from laborcommons.catalog.service.datasets import get_dataset, require_edit, rows_readable
from laborcommons.catalog.service.encryption import place_version
from laborcommons.catalog.service.refusals import audit_if_hidden, refusal_of
from laborcommons.catalog.service.statistics import (
    remember_statistics,
    shown_columns,
    storable_columns,
    stores_values,
)
from laborcommons.catalog.service.withheld import version_withheld
from laborcommons.core.db import savepoint, utcnow
from laborcommons.core.errors import Conflict, Forbidden, InvalidInput, NotFound, PayloadTooLarge
from laborcommons.core.node import Node
from laborcommons.core.store import StagedObject, sha256_of_file
from laborcommons.ingest import read_to_parquet
from laborcommons.privacy import models as privacy

PII_SCAN_ROWS = 20_000  # the scanner reads this many rows at most
NUMBER_ATTEMPTS = 5  # a writer that bypassed the dataset lock took the number: retry


def version_public(version: DatasetVersion, *, reader: Reader, node: Node | None) -> VersionPublic:
    """The version as ``reader`` may see it: counts and types of its columns for everyone
    who may discover it, min, max and mean only for readers of its rows (docs/access.md).

    ``node=None`` is for pages that show no statistics: a restricted version's are then not
    computed (they are never stored), so its readers get counts and types too.
    """
    readable = rows_readable(reader, version.dataset, version=version.number)
    return VersionPublic(
        version=version.number,
        sha256=version.sha256,
        parquet_sha256=version.parquet_sha256,
        original_name=version.original_name,
        format=version.format,
        sheet=version.sheet,
        size_bytes=version.size_bytes,
        row_count=version.row_count,
        columns=shown_columns(version, readable=readable, node=node),
        author=version.author_email,
        message=version.message,
        created_at=version.created_at,
        primary_key=version.primary_key or [],
        doi=version.doi,
        citation=citation_of(version),
    )


def _existing_version(
    dataset: Dataset, sha256: str, sheet: str | None, session: Session
) -> DatasetVersion | None:
    """The version with the same bytes (and, when a sheet is named, the same sheet)."""
    twins = session.scalars(
        select(DatasetVersion)
        .where(DatasetVersion.dataset_id == dataset.id, DatasetVersion.sha256 == sha256)
        .order_by(DatasetVersion.number)
    )
    return next((v for v in twins if sheet is None or v.sheet == sheet), None)


def add_version(
    slug: str,
    upload: Path,
    *,
    original_name: str,
    reader: Reader,
    node: Node,
    session: Session,
    sheet: str | None = None,
    page: int | None = None,
    table: str | None = None,
    message: str = "",
    table_schema: dict[str, Any] | None = None,
    derived_from: int | None = None,
) -> VersionCreated:
    """Validate ``upload`` and store it as the dataset's next version (or find its twin).

    ``derived_from`` (a version id) records lineage for versions the releases derive.
    """
    dataset = get_dataset(slug, reader=reader, session=session)
    require_edit(reader, dataset)
    size = upload.stat().st_size
    limit = node.settings.max_upload_bytes
    if size > limit:
        raise PayloadTooLarge(f"{original_name}: {size} bytes is over the {limit}-byte limit")
    # A twin has the same size. Which PDF/HTML table is read is known only after reading,
    # so a table or page choice skips this shortcut (the claim below still finds twins).
    whole_file = page is None and table is None
    if whole_file and any(v.size_bytes == size for v in dataset.versions):
        twin = _existing_version(dataset, sha256_of_file(upload), sheet, session)
        if twin is not None:
            public = version_public(twin, reader=reader, node=node)
            return VersionCreated(**public.model_dump(), created=False)
    options = {"sheet": sheet, "page": page, "table": table}
    staged = _ingest_and_stage(
        upload,
        original_name,
        node,
        options,
        table_schema=table_schema,
        allowed_values=dictionary.declared_values(dataset),
    )
    try:
        version, created = _claim_version(dataset, staged, session)
        if not created:
            public = version_public(version, reader=reader, node=node)
            return VersionCreated(**public.model_dump(), created=False)
        remember_statistics(version, staged.result.columns, node)
        version.original_name = original_name
        version.author_id = reader.user_id
        version.author_email = reader.email
        version.message = message
        version.primary_key = staged.result.primary_key or None
        dictionary.refresh_for_version(
            dataset, version, node, staged.parquet, store_values=stores_values(dataset.access)
        )
        _scan_for_pii(
            dataset, version, node, session, derived_from=derived_from, parquet=staged.parquet
        )
        place_version(version, staged.by_digest(), node=node, session=session)
    finally:
        staged.discard()
    dataset.updated_at = utcnow()
    session.flush()
    public = version_public(version, reader=reader, node=node)
    return VersionCreated(**public.model_dump(), created=True)


def _scan_for_pii(
    dataset: Dataset,
    version: DatasetVersion,
    node: Node,
    session: Session,
    *,
    derived_from: int | None,
    parquet: Path,
) -> None:
    """Store the PII findings; a public/open dataset refuses a version that holds PII."""
    version.derived_from_version_id = derived_from
    rows = pq.ParquetFile(parquet).iter_batches(batch_size=PII_SCAN_ROWS)
    found = privacy.scan_version(
        session,
        version_id=version.id,
        rows=rows,
        countries=dataset.coverage,
        derived_from=derived_from,
    )
    _hide_pii_values(dataset, version, {f.column for f in found})
    held = privacy.blocking_columns(session, version.id)
    if held and dataset.access in READABLE_BY_ANYONE:
        raise InvalidInput(
            f"{version.original_name}: columns {', '.join(held)} hold personal data and "
            f"{dataset.slug!r} is {dataset.access}; lower its level, upload, then resolve "
            "the findings (see docs/releases.md)",
            details={"columns": held, "access": dataset.access},
        )


def _hide_pii_values(dataset: Dataset, version: DatasetVersion, columns: set[str]) -> None:
    """Statistics and allowed values are metadata: for PII columns they would be raw values."""
    if not columns:
        return
    version.columns = [
        {**c, "stats": {**c["stats"], "min": None, "max": None}}
        if c["name"] in columns and c.get("stats")
        else c
        for c in version.columns
    ]
    dataset.data_dictionary = {
        name: {**entry, "allowed_values": []} if name in columns else entry
        for name, entry in dataset.data_dictionary.items()
    }


@dataclass
class StagedVersion:
    """An upload read and checked, its files still in staging (plaintext, recognisable)."""

    original: StagedObject
    parquet: Path
    parquet_sha256: str
    size_bytes: int
    result: Any

    def by_digest(self) -> dict[str, Path]:
        return {self.original.digest: self.original.path, self.parquet_sha256: self.parquet}

    def discard(self) -> None:
        self.original.path.unlink(missing_ok=True)
        self.parquet.unlink(missing_ok=True)


def _ingest_and_stage(
    upload: Path,
    original_name: str,
    node: Node,
    options: dict[str, Any],
    *,
    table_schema: dict[str, Any] | None,
    allowed_values: dict[str, list[str]],
) -> StagedVersion:
    """Read the upload into Parquet while a second thread copies and hashes the original.

    The copy is disk-bound and the read CPU-bound, so they overlap; on any failure both
    files are gone again.
    """
    parquet = node.tmp_dir / f"ingest-{uuid.uuid4().hex}.parquet"
    staged: StagedObject | None = None
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            staging = pool.submit(node.store.stage, upload)
            try:
                result = read_to_parquet(
                    upload,
                    original_name=original_name,
                    out_path=parquet,
                    **options,
                    table_schema=table_schema,
                    allowed_values=allowed_values,
                    max_uncompressed_bytes=node.settings.max_uncompressed_bytes,
                    tmp_dir=node.tmp_dir,
                )
            finally:
                staged = staging.result()
        if not result.report.valid:
            raise InvalidInput(
                f"{original_name} did not pass validation ({result.report.issue_count} problem(s))",
                details=result.report.model_dump(),
            )
        return StagedVersion(
            staged, parquet, sha256_of_file(parquet), upload.stat().st_size, result
        )
    except BaseException:
        if staged is not None:
            node.store.discard(staged)
        parquet.unlink(missing_ok=True)
        raise


def _claim_version(
    dataset: Dataset, staged: StagedVersion, session: Session
) -> tuple[DatasetVersion, bool]:
    """The next version of ``dataset`` for this content, or its twin (created=False).

    The UPDATE locks the dataset row (PostgreSQL) or the database (SQLite) until commit,
    so concurrent uploads to one dataset take turns and each sees the one before; the
    unique constraints catch any writer that did not take the lock, and we retry.
    """
    session.execute(update(Dataset).where(Dataset.id == dataset.id).values(updated_at=utcnow()))
    result = staged.result
    for _attempt in range(NUMBER_ATTEMPTS):
        twin = session.scalars(
            select(DatasetVersion).where(
                DatasetVersion.dataset_id == dataset.id,
                DatasetVersion.sha256 == staged.original.digest,
                func.coalesce(DatasetVersion.sheet, "") == (result.sheet or ""),
            )
        ).first()
        if twin is not None:
            return twin, False
        latest = session.scalar(
            select(func.max(DatasetVersion.number)).where(DatasetVersion.dataset_id == dataset.id)
        )
        version = DatasetVersion(
            dataset_id=dataset.id,
            number=(latest or 0) + 1,
            sha256=staged.original.digest,
            parquet_sha256=staged.parquet_sha256,
            original_name="",
            format=result.format,
            sheet=result.sheet,
            size_bytes=staged.size_bytes,
            row_count=result.row_count,
            columns=storable_columns(
                [c.model_dump(mode="json") for c in result.columns], dataset.access
            ),
        )
        try:
            with savepoint(session):
                session.add(version)
                session.flush()
        except IntegrityError:
            continue
        session.expire(dataset, ["versions"])
        return version, True
    raise Conflict(f"dataset {dataset.slug!r} is taking many versions at once; try again")


def list_versions(
    slug: str, *, reader: Reader, session: Session, node: Node | None
) -> list[VersionPublic]:
    """Every version of a dataset this reader may discover, each shaped for this reader."""
    dataset = get_dataset(slug, reader=reader, session=session)
    return [version_public(v, reader=reader, node=node) for v in dataset.versions]


def version_metadata(
    slug: str, number: int | None, *, reader: Reader, session: Session, node: Node
) -> VersionPublic:
    """One version's metadata, already shaped for this reader (404 like ``get_version``)."""
    version = get_version(slug, number, reader=reader, session=session)
    return version_public(version, reader=reader, node=node)


def get_version(
    slug: str, number: int | None, *, reader: Reader, session: Session
) -> DatasetVersion:
    """Version ``number`` (latest when None) of a dataset this reader may discover."""
    dataset = get_dataset(slug, reader=reader, session=session)
    if not dataset.versions:
        raise NotFound(f"dataset {slug!r} has no versions yet")
    if number is None:
        return dataset.versions[-1]
    for version in dataset.versions:
        if version.number == number:
            return version
    raise NotFound(f"dataset {slug!r} has no version {number}")


def readable_version(
    slug: str,
    number: int | None,
    *,
    reader: Reader,
    session: Session,
    action: str = "rows.read",
    details: dict[str, Any] | None = None,
) -> DatasetVersion:
    """Like ``get_version`` but also requires the right to read the rows.

    Every read of rows that are not ``open`` goes to the audit trail as ``action``, in the
    request's transaction (so a GET commits it too), appended at commit so the trail's lock
    is not held while the rows are queried or exported.
    """
    try:
        version = get_version(slug, number, reader=reader, session=session)
    except NotFound as error:  # a hidden dataset's refusal is audited (answer unchanged)
        audit_if_hidden(error, slug, action=action, version=number, reader=reader, session=session)
        raise
    dataset = version.dataset
    refused = partial(refusal_of, dataset, reader, action=action, version=version.number)
    basis = read_basis(
        reader,
        owner_id=dataset.organization_id,
        level=dataset.access,
        dataset_id=dataset.id,
        version=version.number,
    )
    if basis is None:
        raise Forbidden(
            f"the rows of {slug!r} are {dataset.access}; ask its owner for access",
            audit=refused(status=403),
        )
    if version_withheld(reader, version, session=session):
        held = privacy.blocking_columns(session, version.id)
        raise Forbidden(
            f"version {version.number} of {slug!r} is withheld: columns {', '.join(held)} "
            "hold personal data; read its latest version",
            details={"columns": held},
            audit=refused(status=403, withheld=held),
        )
    if dataset.access != "open":
        audit.record_at_commit(
            session,
            actor=reader,
            action=action,
            organization_id=dataset.organization_id,
            dataset_id=dataset.id,
            version_id=version.id,
            level=dataset.access,
            details={"slug": slug, "version": version.number, "via": basis, **(details or {})},
        )
    return version
