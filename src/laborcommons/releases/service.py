"""Releases use cases, one import for the edges (routes, pages, commands)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.releases.findings import editable_version, list_findings, resolve_finding
from laborcommons.releases.kanon import anonymize_version
from laborcommons.releases.lineage import version_lineage
from laborcommons.releases.schemas import Lineage


def read_lineage(slug: str, number: int | None, *, reader: Reader, session: Session) -> Lineage:
    version = editable_version(slug, number, reader=reader, session=session)
    return version_lineage(version, session=session)


__all__ = ["anonymize_version", "list_findings", "read_lineage", "resolve_finding"]
