"""Use cases of harvesting: manage sources, run them, list what they found.

A run spans three short transactions on purpose: claim the source (status ``running``
with a ``started_at`` lease), fetch with no transaction open, then apply everything seen
in one transaction (upsert what is listed, delete what is gone) or record the failure and
change no entry. A run whose process died stays ``running``; once its lease has passed,
the next run counts it as failed and goes ahead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from laborcommons.access import Reader
from laborcommons.core.db import unit_of_work, utcnow
from laborcommons.core.errors import Conflict, Forbidden, NotAuthenticated, NotFound
from laborcommons.harvest.ckan import harvest_ckan
from laborcommons.harvest.dcat import harvest_dcat
from laborcommons.harvest.fetch import HarvestFailed, new_client
from laborcommons.harvest.models import HarvestSource, RemoteDataset
from laborcommons.harvest.schemas import (
    RemoteDatasetPage,
    RemoteDatasetPublic,
    RemoteRecord,
    RunResult,
    SourceCreate,
    SourceList,
    SourcePublic,
)

HARVESTERS: dict[str, Callable[[httpx.Client, str], Iterator[RemoteRecord]]] = {
    "ckan": harvest_ckan,
    "dcat": harvest_dcat,
}
LEASE = timedelta(minutes=30)
"""A run ``running`` for longer than this was interrupted (its process was killed)."""
FIELDS = ("title", "description", "organization", "license", "keywords", "origin_url", "modified")


def require_admin(reader: Reader) -> None:
    if reader.is_anonymous:
        raise NotAuthenticated("sign in as a node admin to manage harvest sources")
    if not reader.is_admin:
        raise Forbidden("only node admins manage harvest sources")


def source_public(source: HarvestSource) -> SourcePublic:
    return SourcePublic.model_validate(source, from_attributes=True)


def _source(slug: str, *, session: Session) -> HarvestSource:
    source = session.scalar(select(HarvestSource).where(HarvestSource.slug == slug))
    if source is None:
        raise NotFound(f"no harvest source {slug!r}")
    return source


def add_source(data: SourceCreate, *, reader: Reader, session: Session) -> SourcePublic:
    require_admin(reader)
    if session.scalar(select(HarvestSource.id).where(HarvestSource.slug == data.slug)):
        raise Conflict(f"a harvest source {data.slug!r} exists already")
    source = HarvestSource(**data.model_dump(), created_by=reader.email or "")
    session.add(source)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"a harvest source {data.slug!r} exists already") from None
    return source_public(source)


def list_sources(*, reader: Reader, session: Session) -> SourceList:
    require_admin(reader)
    found = session.scalars(select(HarvestSource).order_by(HarvestSource.slug))
    return SourceList(items=[source_public(s) for s in found])


def remove_source(slug: str, *, reader: Reader, session: Session) -> None:
    """Forget a source and every entry it listed."""
    require_admin(reader)
    session.delete(_source(slug, session=session))


def run_source(
    slug: str,
    *,
    reader: Reader,
    sessions: sessionmaker[Session],
    client: httpx.Client | None = None,
) -> RunResult:
    """Harvest one source now; a failed run is a result with ``status`` failed."""
    require_admin(reader)
    with unit_of_work(sessions) as session:
        source = _claim(_source(slug, session=session), now=utcnow())
        source_id, kind, url = source.id, source.kind, source.url
        interrupted = source.last_error
    owned = client is None
    http = client or new_client()
    try:
        records = _collect(HARVESTERS[kind](http, url))
    except HarvestFailed as failure:
        return _fail(sessions, source_id, str(failure))
    except Exception as error:  # a harvester bug must not leave the source running
        return _fail(sessions, source_id, f"the harvest failed unexpectedly ({error!r})")
    finally:
        if owned:
            http.close()
    try:
        with unit_of_work(sessions) as session:
            return _apply(session, source_id, records, interrupted=interrupted)
    except SQLAlchemyError as error:
        message = f"the entries could not be stored ({error.__class__.__name__})"
        return _fail(sessions, source_id, message)


def _claim(source: HarvestSource, *, now: datetime) -> HarvestSource:
    """Mark the source running, unless a live run holds it; an expired run counts as failed."""
    source.last_error = ""
    if source.status == "running" and source.started_at is not None:
        if source.started_at > now - LEASE:
            raise Conflict(
                f"a run of {source.slug!r} started at {source.started_at:%Y-%m-%d %H:%M} UTC "
                f"is still going (a run older than {LEASE} counts as failed)"
            )
        source.last_error = f"the run started at {source.started_at.isoformat()} never finished"
    source.status, source.started_at, source.finished_at = "running", now, None
    return source


def _collect(found: Iterator[RemoteRecord]) -> dict[str, RemoteRecord]:
    """All records of the run, by remote id; the first listing of an id wins."""
    records: dict[str, RemoteRecord] = {}
    for item in found:
        records.setdefault(item.remote_id, item)
    return records


def _fail(sessions: sessionmaker[Session], source_id: int, message: str) -> RunResult:
    with unit_of_work(sessions) as session:
        source = session.get_one(HarvestSource, source_id)
        source.status, source.finished_at, source.last_error = "failed", utcnow(), message
        return RunResult(source=source_public(source))


def _apply(
    session: Session, source_id: int, records: dict[str, RemoteRecord], *, interrupted: str
) -> RunResult:
    now = utcnow()
    source = session.get_one(HarvestSource, source_id)
    result = RunResult(source=source_public(source))
    existing = {e.remote_id: e for e in source.entries}
    for remote_id, found in records.items():
        entry = existing.pop(remote_id, None)
        values = found.model_dump(include=set(FIELDS))
        if entry is None:
            session.add(RemoteDataset(source_id=source_id, remote_id=remote_id, **values))
            result.added += 1
        elif any(getattr(entry, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(entry, name, value)
            result.updated += 1
        if entry is not None:
            entry.last_seen = now
    for gone in existing.values():
        session.delete(gone)
        result.removed += 1
    source.status, source.finished_at, source.last_count = "ok", now, len(records)
    source.last_error = ""
    session.flush()
    result.source, result.interrupted = source_public(source), interrupted or None
    return result


def due_sources(*, session: Session, now: datetime) -> list[str]:
    """Slugs of scheduled sources whose interval has passed (or that never ran)."""
    due = []
    for source in session.scalars(
        select(HarvestSource).where(HarvestSource.interval_minutes.is_not(None))
    ):
        assert source.interval_minutes is not None
        if source.status == "running":
            if source.started_at is None or source.started_at <= now - LEASE:
                due.append(source.slug)
        elif source.finished_at is None or (
            source.finished_at + timedelta(minutes=source.interval_minutes) <= now
        ):
            due.append(source.slug)
    return sorted(due)


def run_due(
    *, reader: Reader, sessions: sessionmaker[Session], client: httpx.Client | None = None
) -> list[RunResult]:
    """Run every source that is due; one another process holds is skipped."""
    require_admin(reader)
    with unit_of_work(sessions) as session:
        slugs = due_sources(session=session, now=utcnow())
    results = []
    for slug in slugs:
        try:
            results.append(run_source(slug, reader=reader, sessions=sessions, client=client))
        except Conflict:
            continue
    return results


def list_remote_datasets(
    *, session: Session, q: str | None = None, page: int = 1, page_size: int = 20
) -> RemoteDatasetPage:
    """Entries harvested from other catalogs: public metadata, each linking its origin."""
    query = select(RemoteDataset, HarvestSource).join(HarvestSource)
    if q:
        needle = q.lower()
        query = query.where(
            or_(
                *(
                    func.lower(column).contains(needle, autoescape=True)
                    for column in (
                        RemoteDataset.title,
                        RemoteDataset.description,
                        RemoteDataset.organization,
                    )
                )
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(func.lower(RemoteDataset.title), RemoteDataset.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    items = [
        RemoteDatasetPublic(
            source=source.slug,
            source_url=source.url,
            remote_id=entry.remote_id,
            **{name: getattr(entry, name) for name in FIELDS},
            last_seen=entry.last_seen,
        )
        for entry, source in rows
    ]
    return RemoteDatasetPage(items=items, total=total, page=page, page_size=page_size)
