"""PII findings of a version: list them, and resolve each (drop, pseudonymize, generalize,
accept). Every decision is written to the audit trail in the same transaction."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import DatasetVersion
from laborcommons.core.db import utcnow
from laborcommons.core.errors import Conflict, NotFound
from laborcommons.core.node import Node
from laborcommons.privacy.models import PiiFinding, blocking_columns, findings_of
from laborcommons.releases import transforms
from laborcommons.releases.derive import derive_version, version_table
from laborcommons.releases.domains import pseudonymize_column
from laborcommons.releases.lineage import version_lineage
from laborcommons.releases.schemas import (
    FindingPublic,
    Resolution,
    ResolutionResult,
    VersionFindings,
)


def editable_version(
    slug: str, number: int | None, *, reader: Reader, session: Session
) -> DatasetVersion:
    """A version of a dataset this reader edits: 404 when hidden, 401/403 otherwise."""
    dataset = catalog.get_dataset(slug, reader=reader, session=session)
    catalog.require_edit(reader, dataset)
    return catalog.get_version(slug, number, reader=reader, session=session)


def finding_public(finding: PiiFinding, version: DatasetVersion, session: Session) -> FindingPublic:
    resulting = (
        session.get(DatasetVersion, finding.resulting_version_id)
        if finding.resulting_version_id is not None
        else None
    )
    return FindingPublic(
        id=finding.id,
        version=version.number,
        column=finding.column,
        kind=finding.kind,
        count=finding.count,
        share=finding.share,
        examples=finding.examples,
        status=finding.status,
        resolution=finding.resolution,
        justification=finding.justification,
        parameters=finding.parameters,
        resolved_by=finding.resolved_by,
        resolved_at=finding.resolved_at,
        resulting_version=resulting.number if resulting is not None else None,
        blocks_release=finding.blocks_release,
    )


def version_findings(version: DatasetVersion, *, session: Session) -> VersionFindings:
    return VersionFindings(
        dataset=version.dataset.slug,
        version=version.number,
        withheld_columns=blocking_columns(session, version.id),
        findings=[finding_public(f, version, session) for f in findings_of(session, version.id)],
        lineage=version_lineage(version, session=session),
    )


def list_findings(
    slug: str, number: int | None, *, reader: Reader, session: Session
) -> VersionFindings:
    version = editable_version(slug, number, reader=reader, session=session)
    return version_findings(version, session=session)


def _open_finding(version: DatasetVersion, finding_id: int, session: Session) -> PiiFinding:
    finding = session.get(PiiFinding, finding_id)
    if finding is None or finding.version_id != version.id:
        raise NotFound(
            f"version {version.number} of {version.dataset.slug!r} has no finding {finding_id}"
        )
    if finding.status != "open":
        raise Conflict(
            f"finding {finding_id} ({finding.column}: {finding.kind}) is already resolved "
            f"({finding.resolution})",
            details={"finding": finding_id, "resolution": finding.resolution},
        )
    return finding


def _transform(
    action: str,
    table: pa.Table,
    column: str,
    resolution: Resolution,
    version: DatasetVersion,
    *,
    reader: Reader,
    node: Node,
    session: Session,
) -> tuple[pa.Table, dict[str, Any]]:
    """The transformed rows and the parameters to record (never a key)."""
    if action == "drop":
        return transforms.drop(table, column), {}
    if action == "pseudonymize":
        domain = resolution.domain or f"{version.dataset.slug}-v{version.number}"
        return pseudonymize_column(
            table,
            column,
            domain=domain,
            organization_id=version.dataset.organization_id,
            reader=reader,
            node=node,
            session=session,
        ), {"domain": domain}
    assert resolution.hierarchy is not None  # the schema requires it for generalize
    transforms.require_column(table, column)
    values = [v for v in transforms.text_values(table, column) if v is not None]
    hierarchy = transforms.build_hierarchy(resolution.hierarchy, column, values)
    spec = resolution.hierarchy.model_dump(exclude={"csv"}, exclude_none=True)
    return transforms.generalize(table, column, hierarchy, resolution.level), {
        "hierarchy": spec,
        "level": resolution.level,
    }


def resolve_finding(
    slug: str,
    number: int,
    finding_id: int,
    resolution: Resolution,
    *,
    reader: Reader,
    node: Node,
    session: Session,
) -> ResolutionResult:
    """Accept a finding, or derive a version without it; other open findings on the same
    column are settled by the same derivation."""
    version = editable_version(slug, number, reader=reader, session=session)
    finding = _open_finding(version, finding_id, session)
    settled = [finding]
    derived: DatasetVersion | None = None
    parameters: dict[str, Any] = {}
    if resolution.action != "accept":
        table, parameters = _transform(
            resolution.action,
            version_table(version, node),
            finding.column,
            resolution,
            version,
            reader=reader,
            node=node,
            session=session,
        )
        derivation = {"action": resolution.action, "column": finding.column, **parameters}
        derived = derive_version(
            version,
            table,
            target=slug,
            derivation=derivation,
            changed={finding.column},
            reader=reader,
            node=node,
            session=session,
            message=resolution.message,
        )
        settled += [
            f
            for f in findings_of(session, version.id)
            if f.column == finding.column and f.status == "open" and f.id != finding.id
        ]
    for item in settled:
        _settle(item, resolution, parameters, version, derived, reader=reader, session=session)
    session.flush()
    result = ResolutionResult(
        finding=finding_public(finding, version, session),
        version=catalog.version_public(derived, reader=reader, node=node) if derived else None,
    )
    return result


def _settle(
    finding: PiiFinding,
    resolution: Resolution,
    parameters: dict[str, Any],
    version: DatasetVersion,
    derived: DatasetVersion | None,
    *,
    reader: Reader,
    session: Session,
) -> None:
    finding.status = "resolved"
    finding.resolution = resolution.action
    finding.justification = resolution.justification
    finding.parameters = parameters
    finding.resolved_by = reader.email or "node-admin"
    finding.resolved_at = utcnow()
    finding.resulting_version_id = derived.id if derived is not None else None
    dataset = version.dataset
    audit.record(
        session,
        actor=reader,
        action=f"pii.{resolution.action}",
        organization_id=dataset.organization_id,
        dataset_id=dataset.id,
        version_id=finding.version_id,
        level=dataset.access,
        details={
            "finding": finding.id,
            "column": finding.column,
            "kind": finding.kind,
            "justification": resolution.justification,
            "parameters": parameters,
            "resulting_version": derived.number if derived is not None else None,
        },
    )
