"""HTTP routes of releases: PII findings, their resolution, k-anonymity, lineage.

Only editors and owners of the dataset's organization get past ``require_edit``; a
dataset they may not discover answers 404 like a missing one.
"""

from __future__ import annotations

from fastapi import APIRouter

from laborcommons.access.deps import ReaderDep
from laborcommons.core.deps import DbId, NodeDep, SessionDep
from laborcommons.releases import service
from laborcommons.releases.schemas import (
    KanonRequest,
    KanonResult,
    Lineage,
    Resolution,
    ResolutionResult,
    VersionFindings,
)

router = APIRouter(tags=["releases"])
VERSION = "/datasets/{slug}/versions/{number}"


@router.get(f"{VERSION}/findings", summary="PII findings of a version, with its lineage")
def list_findings(
    slug: str, number: int, reader: ReaderDep, session: SessionDep
) -> VersionFindings:
    return service.list_findings(slug, number, reader=reader, session=session)


@router.post(
    f"{VERSION}/findings/{{finding_id}}/resolution",
    summary="Resolve a PII finding: drop, pseudonymize, generalize or accept",
)
def resolve_finding(
    slug: str,
    number: int,
    finding_id: DbId,
    resolution: Resolution,
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
) -> ResolutionResult:
    return service.resolve_finding(
        slug, number, finding_id, resolution, reader=reader, node=node, session=session
    )


@router.post(
    f"{VERSION}/kanon",
    status_code=201,
    summary="Derive a k-anonymous version (report included)",
)
def run_kanon(
    slug: str,
    number: int,
    request: KanonRequest,
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
) -> KanonResult:
    return service.anonymize_version(
        slug, number, request, reader=reader, node=node, session=session
    )


@router.get(f"{VERSION}/lineage", summary="Where a version came from and what derives from it")
def lineage(slug: str, number: int, reader: ReaderDep, session: SessionDep) -> Lineage:
    return service.read_lineage(slug, number, reader=reader, session=session)
