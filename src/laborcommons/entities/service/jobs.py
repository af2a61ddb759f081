"""Link jobs: create one for a dataset version, run it with progress, read its result.

A job runs in three transactions: (1) the access decision and its audit record, and the
job marked running by this process (``liveness.py``: a job whose process is gone ends as
failed when it is read or when the version is linked again); (2) the plan, which only
reads (so progress can be committed beside it); (3) the writes, all or nothing. If
anything fails, (3) rolls back entirely and a fourth transaction marks the job failed
with the error: no half-linked rows.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import DatasetVersion
from laborcommons.core.db import unit_of_work, utcnow
from laborcommons.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    LaborCommonsError,
    NotFound,
)
from laborcommons.core.node import Node
from laborcommons.entities import matching
from laborcommons.entities.models import LinkJob, RowLink
from laborcommons.entities.schemas import (
    ColumnMapping,
    LinkJobCreate,
    LinkJobPublic,
    MappingSuggestion,
    RowOutcome,
)
from laborcommons.entities.service.applying import apply_plan, count_outcomes, preview_outcomes
from laborcommons.entities.service.liveness import claim, end_if_gone
from laborcommons.entities.service.mapping import suggest_columns
from laborcommons.entities.service.planning import check_mapping, plan_link
from laborcommons.entities.service.relations import check_link_relation

Progress = Callable[[int, int, str], None]


def suggest_mapping(
    slug: str, number: int | None, *, reader: Reader, session: Session
) -> MappingSuggestion:
    """Which columns look like name, address, country, identifiers... (headers only)."""
    version = catalog.get_version(slug, number, reader=reader, session=session)
    headers = [str(c["name"]) for c in version.columns]
    mapping, candidates = suggest_columns(headers)
    used = set(mapping.columns()) if mapping else set()
    return MappingSuggestion(
        dataset=slug,
        version=version.number,
        mapping=mapping,
        candidates=candidates,
        unmapped=[h for h in headers if h not in used],
    )


def create_link_job(data: LinkJobCreate, *, reader: Reader, session: Session) -> LinkJob:
    """A pending job for a version the reader may edit; the mapping is checked now."""
    version = catalog.get_version(data.dataset, data.version, reader=reader, session=session)
    catalog.require_edit(reader, version.dataset)
    mapping = data.mapping
    if mapping is None:
        mapping, _ = suggest_columns([str(c["name"]) for c in version.columns])
        if mapping is None:
            raise InvalidInput(
                f"no column of {data.dataset!r} version {version.number} looks like a name; "
                "give a mapping",
                details={"columns": [c["name"] for c in version.columns]},
            )
    relation = None
    if data.relation is not None:
        relation = check_link_relation(data.relation, data.kind, reader=reader, session=session)
    check_mapping(version, mapping, data.relation.tier_column if data.relation else None)
    job = LinkJob(
        version_id=version.id,
        kind=data.kind,
        mapping=mapping.model_dump(),
        relation=relation,
        upper=data.upper if data.upper is not None else matching.UPPER_THRESHOLD,
        lower=data.lower if data.lower is not None else matching.LOWER_THRESHOLD,
        dry_run=data.dry_run,
        status="pending",
        total=version.row_count,
        created_by=reader.email or ("node-admin" if reader.is_admin else "anonymous"),
    )
    if job.lower > job.upper:
        raise InvalidInput("lower threshold must not exceed the upper one")
    _refuse_if_running(version, data.kind, session)
    session.add(job)
    session.flush()
    return job


def _refuse_if_running(version: DatasetVersion, kind: str, session: Session) -> None:
    """One live job per version and kind; one whose process is gone ends as failed here,
    so starting again is the way to retry it."""
    running = session.scalars(
        select(LinkJob).where(
            LinkJob.version_id == version.id, LinkJob.kind == kind, LinkJob.status == "running"
        )
    )
    for job in running:
        if not end_if_gone(job):
            raise Conflict(
                f"link job {job.id} is still linking version {version.number}; wait for it",
                details={"job": job.id},
            )


def job_public(job: LinkJob, *, session: Session) -> LinkJobPublic:
    version = session.get_one(DatasetVersion, job.version_id)
    outcomes = [RowOutcome.model_validate(o) for o in job.result.get("outcomes", [])]
    return LinkJobPublic(
        id=job.id,
        dataset=version.dataset.slug,
        access=version.dataset.access,
        version=version.number,
        kind=job.kind,
        status=job.status,
        dry_run=job.dry_run,
        total=job.total,
        processed=job.processed,
        counts=job.counts,
        upper=job.upper,
        lower=job.lower,
        mapping=job.mapping,
        relation=job.relation,
        error=job.error,
        outcomes=outcomes,
        created_by=job.created_by,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


def link_job_not_found(job_id: int) -> NotFound:
    """The one answer for a missing job and for a job the reader may not read."""
    return NotFound(f"no link job {job_id}")


def get_link_job(job_id: int, *, reader: Reader, session: Session) -> LinkJobPublic:
    """A job whose version's rows the reader may read (its outcomes are row values), read
    through the catalog's row decision and audited as ``link-job.read``; every other
    reader gets the answer of a missing job (a job id is not discoverable metadata)."""
    job = session.get(LinkJob, job_id)
    if job is None:
        raise link_job_not_found(job_id)
    version = session.get_one(DatasetVersion, job.version_id)
    try:
        catalog.readable_version(
            version.dataset.slug,
            version.number,
            reader=reader,
            session=session,
            action="link-job.read",
            details={"job": job.id},
        )
    except (NotFound, Forbidden) as refused:
        hidden = link_job_not_found(job_id)
        hidden.audit = refused.audit  # the owner's trail still shows the refused read
        raise hidden from None
    end_if_gone(job)
    return job_public(job, session=session)


def _start(job_id: int, reader: Reader, session: Session) -> tuple[str, int]:
    job = session.get_one(LinkJob, job_id)
    version = session.get_one(DatasetVersion, job.version_id)
    slug = version.dataset.slug
    catalog.require_edit(reader, version.dataset)
    catalog.readable_version(
        slug,
        version.number,
        reader=reader,
        session=session,
        action="entities.link",
        details={"job": job.id},
    )
    job.status = "running"
    claim(job)
    return slug, version.number


def execute_link_job(
    job_id: int, *, reader: Reader, node: Node, progress: Progress | None = None
) -> LinkJobPublic:
    """Run a job to the end (the edge calls this: it owns its transactions)."""
    try:
        with unit_of_work(node.sessions) as session:
            _start(job_id, reader, session)
    except LaborCommonsError as error:
        _fail(job_id, error.message, node)
        raise

    def report(done: int, total: int, message: str) -> None:
        if progress is not None:
            progress(done, total, message)
        with unit_of_work(node.sessions) as progress_session:
            progress_session.execute(
                update(LinkJob)
                .where(LinkJob.id == job_id)
                .values(processed=done, total=total, heartbeat_at=utcnow())
            )

    try:
        with unit_of_work(node.sessions) as session:
            job = session.get_one(LinkJob, job_id)
            version = session.get_one(DatasetVersion, job.version_id)
            done = set(
                session.scalars(
                    select(RowLink.row_number).where(
                        RowLink.version_id == version.id, RowLink.kind == job.kind
                    )
                )
            )
            plan = plan_link(
                version,
                ColumnMapping.model_validate(job.mapping),
                job.kind,
                upper=job.upper,
                lower=job.lower,
                node=node,
                reader=reader,
                session=session,
                done_rows=done,
                progress=report,
                tier_column=(job.relation or {}).get("tier_column"),
            )
        with unit_of_work(node.sessions) as session:
            job = session.get_one(LinkJob, job_id)
            version = session.get_one(DatasetVersion, job.version_id)
            issues: list[dict[str, object]] = list(plan.skipped)
            if job.dry_run:
                outcomes = preview_outcomes(plan, version, job.kind, session=session)
                job.result = {"outcomes": [o.model_dump(mode="json") for o in outcomes]}
            else:
                issues += apply_plan(
                    plan,
                    version,
                    job.kind,
                    job_id=job.id,
                    actor=reader,
                    session=session,
                    relation=job.relation,
                )
            job.result = {**job.result, "issues": issues}
            job.counts = count_outcomes(plan)
            job.status, job.processed, job.finished_at = "done", job.total, utcnow()
            return job_public(job, session=session)
    except Exception as error:
        _fail(job_id, error.message if isinstance(error, LaborCommonsError) else repr(error), node)
        raise


def _fail(job_id: int, message: str, node: Node) -> None:
    """Record why a job failed, in its own transaction (the job's own work rolled back)."""
    with unit_of_work(node.sessions) as session:
        job = session.get_one(LinkJob, job_id)
        job.status, job.error, job.finished_at = "failed", message[:2000], utcnow()
