"""Link a version's rows inside the caller's transaction (the demo's one-shot linking).

A link job normally runs in its own transactions with progress (``execute_link_job``); a
caller that builds a whole node in one unit of work (the demo) needs the same plan and
apply steps without those commits, so they are offered here rather than reached into.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.models import DatasetVersion
from laborcommons.core.db import utcnow
from laborcommons.core.node import Node
from laborcommons.entities.schemas import ColumnMapping, LinkJobCreate
from laborcommons.entities.service.applying import apply_plan, count_outcomes
from laborcommons.entities.service.jobs import create_link_job
from laborcommons.entities.service.planning import plan_link


def link_version_inline(
    data: LinkJobCreate, version: DatasetVersion, *, reader: Reader, node: Node, session: Session
) -> dict[str, int]:
    """Create a link job for ``version``, plan and apply it in ``session``; its counts."""
    job = create_link_job(data, reader=reader, session=session)
    plan = plan_link(
        version,
        ColumnMapping.model_validate(job.mapping),
        job.kind,
        upper=job.upper,
        lower=job.lower,
        node=node,
        reader=reader,
        session=session,
        done_rows=set(),
        progress=lambda _done, _total, _message: None,
    )
    issues = apply_plan(plan, version, job.kind, job_id=job.id, actor=reader, session=session)
    job.result = {"issues": issues}
    job.counts = count_outcomes(plan)
    job.status, job.processed, job.finished_at = "done", job.total, utcnow()
    return job.counts
