"""Immutable dataset versions: one accepted upload = original + normalized Parquet.

One ingest is one transaction: the files go to the content-addressed store first and are
removed again if the transaction rolls back, so a failed upload leaves nothing behind.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from laborcommons.access import READABLE_BY_ANYONE, Reader, audit, may_read_rows, read_basis
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.catalog.schemas import VersionCreated, VersionPublic
from laborcommons.catalog.service.datasets import get_dataset, require_edit, rows_readable
from laborcommons.catalog.service.encryption import read_parquet_table, reseal_version
from laborcommons.core import duck
from laborcommons.core.db import on_rollback, utcnow
from laborcommons.core.errors import Forbidden, InvalidInput, NotFound, PayloadTooLarge
from laborcommons.core.node import Node
from laborcommons.core.store import StagedObject, sha256_of_file
from laborcommons.ingest import read_to_parquet
from laborcommons.ingest.schemas import ColumnProfile
from laborcommons.privacy import models as privacy

ALLOWED_VALUES_MAX = 12
PII_SCAN_ROWS = 20_000  # the scanner reads this many rows at most


def version_public(version: DatasetVersion, *, readable: bool = True) -> VersionPublic:
    """Column statistics (min, max: real values) only for readers of the rows."""
    columns = version.columns if readable else [{**c, "stats": None} for c in version.columns]
    return VersionPublic(
        version=version.number,
        sha256=version.sha256,
        parquet_sha256=version.parquet_sha256,
        original_name=version.original_name,
        format=version.format,
        sheet=version.sheet,
        size_bytes=version.size_bytes,
        row_count=version.row_count,
        columns=[ColumnProfile.model_validate(c) for c in columns],
        author=version.author_email,
        message=version.message,
        created_at=version.created_at,
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
    if any(v.size_bytes == size for v in dataset.versions):  # a twin has the same size
        twin = _existing_version(dataset, sha256_of_file(upload), sheet, session)
        if twin is not None:
            return VersionCreated(**version_public(twin).model_dump(), created=False)
    version = _ingest_and_store(
        dataset, upload, original_name, node, session, sheet=sheet, table_schema=table_schema
    )
    version.original_name = original_name
    version.author_id = reader.user_id
    version.author_email = reader.email
    version.message = message
    _prefill_dictionary(dataset, version, node)
    _scan_for_pii(dataset, version, node, session, derived_from=derived_from)
    reseal_version(version, node=node, session=session)  # encrypt unless public/open
    dataset.updated_at = utcnow()
    session.flush()
    return VersionCreated(**version_public(version).model_dump(), created=True)


def _scan_for_pii(
    dataset: Dataset, version: DatasetVersion, node: Node, session: Session, *,
    derived_from: int | None,
) -> None:  # fmt: skip
    """Store the PII findings; a public/open dataset refuses a version that holds PII."""
    version.derived_from_version_id = derived_from
    plain = node.store.path_for(version.parquet_sha256)
    rows = (pq.ParquetFile(plain).iter_batches(batch_size=PII_SCAN_ROWS) if plain.exists()
            else read_parquet_table(version, node=node))  # fmt: skip
    found = privacy.scan_version(session, version_id=version.id, rows=rows,
                                 countries=dataset.coverage, derived_from=derived_from)  # fmt: skip
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
        if c["name"] in columns and c.get("stats") else c
        for c in version.columns
    ]  # fmt: skip
    dataset.data_dictionary = {
        name: {**entry, "allowed_values": []} if name in columns else entry
        for name, entry in dataset.data_dictionary.items()
    }


def _ingest_and_store(
    dataset: Dataset,
    upload: Path,
    original_name: str,
    node: Node,
    session: Session,
    *,
    sheet: str | None,
    table_schema: dict[str, Any] | None,
) -> DatasetVersion:
    """Read the upload into Parquet while a second thread copies and hashes the original.

    The copy is disk-bound and the read CPU-bound, so they overlap; on any failure both
    files are gone again.
    """
    parquet = node.tmp_dir / f"ingest-{uuid.uuid4().hex}.parquet"
    staged: StagedObject | None = None
    created = False
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            staging = pool.submit(node.store.stage, upload)
            try:
                result = read_to_parquet(
                    upload,
                    original_name=original_name,
                    out_path=parquet,
                    sheet=sheet,
                    table_schema=table_schema,
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
        created = node.store.commit(staged)
        version = _store_version(dataset, upload, parquet, staged.digest, result, node, session)
    except BaseException:
        if staged is not None:
            node.store.discard(staged)
            if created:
                node.store.delete(staged.digest)
        raise
    finally:
        parquet.unlink(missing_ok=True)
    if created:
        on_rollback(session, partial(node.store.delete, staged.digest))
    return version


def _store_version(
    dataset: Dataset,
    upload: Path,
    parquet: Path,
    digest: str,
    result: Any,
    node: Node,
    session: Session,
) -> DatasetVersion:
    parquet_digest = _put(node, parquet, None, session, move=True)
    number = (
        session.scalar(
            select(func.max(DatasetVersion.number)).where(DatasetVersion.dataset_id == dataset.id)
        )
        or 0
    ) + 1
    version = DatasetVersion(
        dataset_id=dataset.id,
        number=number,
        sha256=digest,
        parquet_sha256=parquet_digest,
        original_name="",
        format=result.format,
        sheet=result.sheet,
        size_bytes=upload.stat().st_size,
        row_count=result.row_count,
        columns=[c.model_dump(mode="json") for c in result.columns],
    )
    session.add(version)
    dataset.versions.append(version)
    session.flush()
    return version


def _put(
    node: Node, path: Path, digest: str | None, session: Session, *, move: bool = False
) -> str:
    """Store a file; if it is new and the transaction fails, remove it again."""
    stored, created = node.store.put_file(path, digest, move=move)
    if created:
        on_rollback(session, partial(node.store.delete, stored))
    return stored


def _prefill_dictionary(dataset: Dataset, version: DatasetVersion, node: Node) -> None:
    """Add an entry per new column; low-cardinality text columns get their allowed values."""
    dictionary = dict(dataset.data_dictionary)
    path = node.store.path_for(version.parquet_sha256)
    connection = node.duck_cursor()
    try:
        for column in version.columns:
            name = column["name"]
            if name in dictionary:
                continue
            entry: dict[str, Any] = {"description": "", "unit": "", "allowed_values": []}
            distinct = (column.get("stats") or {}).get("distinct")
            if column["type"] == "string" and distinct and distinct <= ALLOWED_VALUES_MAX:
                quoted = duck.quote_identifier(name)
                values = connection.execute(
                    f"SELECT DISTINCT {quoted} FROM read_parquet(?) "
                    f"WHERE {quoted} IS NOT NULL ORDER BY 1 LIMIT {ALLOWED_VALUES_MAX + 1}",
                    [str(path)],
                ).fetchall()
                if len(values) <= ALLOWED_VALUES_MAX:
                    entry["allowed_values"] = [str(v[0]) for v in values]
            dictionary[name] = entry
    finally:
        connection.close()
    dataset.data_dictionary = dictionary


def list_versions(slug: str, *, reader: Reader, session: Session) -> list[VersionPublic]:
    dataset = get_dataset(slug, reader=reader, session=session)
    readable = rows_readable(reader, dataset)
    return [version_public(v, readable=readable) for v in dataset.versions]


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
    version = get_version(slug, number, reader=reader, session=session)
    dataset = version.dataset
    basis = read_basis(
        reader, owner_id=dataset.organization_id, level=dataset.access, dataset_id=dataset.id
    )
    if basis is None:
        raise Forbidden(f"the rows of {slug!r} are {dataset.access}; ask its owner for access")
    public = dataset.access in READABLE_BY_ANYONE  # grantees of restricted levels still read
    owner_side = may_read_rows(reader, owner_id=dataset.organization_id, level="internal")
    if public and not owner_side and (held := privacy.blocking_columns(session, version.id)):
        raise Forbidden(
            f"version {version.number} of {slug!r} is withheld: columns {', '.join(held)} "
            "hold personal data; read its latest version",
            details={"columns": held},
        )
    if dataset.access != "open":
        audit.record_at_commit(
            session, actor=reader, action=action, organization_id=dataset.organization_id,
            dataset_id=dataset.id, version_id=version.id, level=dataset.access,
            details={"slug": slug, "version": version.number, "via": basis, **(details or {})},
        )  # fmt: skip
    return version
