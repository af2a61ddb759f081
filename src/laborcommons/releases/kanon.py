"""k-anonymity on a node: a version in, a derived k-anonymous version and its report out.

k-anonymity protects against linking by quasi-identifiers only: a direct identifier (a
name, an ID number, a worker's number) left beside them makes every class of k rows one
person again. So the release refuses while one remains, unless the request drops or
pseudonymizes it as part of the release (or its finding was accepted with a reason).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import DatasetVersion
from laborcommons.core.errors import InvalidInput
from laborcommons.core.node import Node
from laborcommons.privacy import scan_table
from laborcommons.privacy.kanon import Hierarchy, KAnonymityParameters, anonymize
from laborcommons.privacy.kanon.hierarchies import TOP
from laborcommons.privacy.models import findings_of
from laborcommons.releases.derive import derive_version, version_table
from laborcommons.releases.domains import pseudonymize_column
from laborcommons.releases.findings import editable_version
from laborcommons.releases.schemas import HierarchySpec, KanonRequest, KanonResult
from laborcommons.releases.transforms import build_hierarchy, text_values

DEFAULT_HIERARCHY = {"integer": "interval", "number": "interval", "date": "date",
                     "datetime": "date"}  # fmt: skip


def _target(
    slug: str, request: KanonRequest, source: DatasetVersion, *, reader: Reader, session: Session
) -> str:
    """The dataset to write to: this one, or another of the same organization."""
    target = request.target or slug
    if target != slug:
        dataset = catalog.get_dataset(target, reader=reader, session=session)
        catalog.require_edit(reader, dataset)
        if dataset.organization_id != source.dataset.organization_id:
            raise InvalidInput(
                f"{target!r} belongs to another organization; derive into a dataset of "
                f"{source.dataset.organization.slug!r}",
                details={"field": "target"},
            )
    return target


def _hierarchy(spec: HierarchySpec, column: str, values: list[str | None]) -> Hierarchy:
    """The hierarchy over the non-empty values; empty cells stay empty until the top."""
    built = build_hierarchy(spec, column, [v for v in values if v is not None])
    if any(v is None for v in values) and "" not in built.labels:
        height = built.height if built.labels else 2
        labels = {**built.labels, "": ("",) * (height - 1) + (TOP,)}
        return Hierarchy(column=column, labels=labels, source=built.source)
    return built


def _hierarchies(
    frame: pd.DataFrame, request: KanonRequest, source: DatasetVersion
) -> dict[str, Hierarchy]:
    """The requested hierarchy per quasi-identifier, or one generated from its type."""
    types = {c["name"]: c["type"] for c in source.columns}
    return {
        qi: _hierarchy(
            request.hierarchies.get(qi)
            or HierarchySpec(kind=DEFAULT_HIERARCHY.get(types.get(qi, ""), "suppress")),
            qi,
            list(frame[qi]),
        )
        for qi in request.quasi_identifiers
    }


def _text_frame(table: pa.Table) -> pd.DataFrame:
    return pd.DataFrame({name: text_values(table, name) for name in table.column_names})


def _pseudonymized(
    table: pa.Table,
    request: KanonRequest,
    source: DatasetVersion,
    *,
    reader: Reader,
    node: Node,
    session: Session,
) -> tuple[pa.Table, dict[str, Any]]:
    """The rows with the columns the request pseudonymizes keyed, and what was done to
    which columns, for the report (never a key)."""
    domain = request.domain or f"{source.dataset.slug}-v{source.number}"
    for column in request.pseudonymize:
        table = pseudonymize_column(
            table,
            column,
            domain=domain,
            organization_id=source.dataset.organization_id,
            reader=reader,
            node=node,
            session=session,
        )
    return table, {
        "dropped": request.drop,
        "pseudonymized": request.pseudonymize,
        "domain": domain if request.pseudonymize else None,
    }


def direct_identifiers(
    table: pa.Table, request: KanonRequest, source: DatasetVersion, *, session: Session
) -> list[str]:
    """Columns of ``table`` that would carry a direct identifier into the release: found
    at ingest and not accepted, or found now (a version scanned before the scanner knew a
    kind); quasi-identifiers are generalized and pseudonymized columns keyed, so not these."""
    stored = findings_of(session, source.id)
    accepted = {(f.column, f.kind) for f in stored if f.resolution == "accept"}
    found = {(f.column, f.kind) for f in stored if f.blocks_release}
    found |= {
        (f.column, f.kind)
        for f in scan_table(table, countries=list(source.dataset.coverage)).findings
    }
    kept = set(table.column_names) - {*request.quasi_identifiers, *request.pseudonymize}
    return sorted({column for column, kind in found - accepted if column in kept})


def _refuse_identifiers(columns: list[str], source: DatasetVersion) -> None:
    if columns:
        raise InvalidInput(
            f"columns {', '.join(columns)} of version {source.number} are direct identifiers "
            "and would stay in the k-anonymous version; drop or pseudonymize them first "
            "(releases resolve), or list them in `drop` or `pseudonymize` of this request",
            details={"columns": columns, "field": "drop"},
        )


def _require_columns(table: pa.Table, request: KanonRequest, source: DatasetVersion) -> None:
    for column in [
        *request.quasi_identifiers,
        *([request.sensitive] if request.sensitive else []),
        *request.drop,
        *request.pseudonymize,
    ]:
        if column not in table.column_names:
            raise InvalidInput(
                f"version {source.number} has no column {column!r}",
                details={"column": column, "columns": table.column_names},
            )


def anonymize_version(
    slug: str,
    number: int,
    request: KanonRequest,
    *,
    reader: Reader,
    node: Node,
    session: Session,
) -> KanonResult:
    """Find the optimal generalization, store the result as a derived version, audit it."""
    source = editable_version(slug, number, reader=reader, session=session)
    target = _target(slug, request, source, reader=reader, session=session)
    table = version_table(source, node)
    _require_columns(table, request, source)
    table = table.drop_columns(request.drop)
    _refuse_identifiers(direct_identifiers(table, request, source, session=session), source)
    table, removed = _pseudonymized(
        table, request, source, reader=reader, node=node, session=session
    )
    frame = _text_frame(table)
    hierarchies = _hierarchies(frame, request, source)
    parameters = KAnonymityParameters(
        quasi_identifiers=request.quasi_identifiers,
        k=request.k,
        max_suppression=request.max_suppression,
        metric=request.metric,
        sensitive=request.sensitive,
        l_diversity=request.l or 1,
        seed=request.seed,
    )
    result = anonymize(frame, hierarchies, parameters)
    report = result.report.model_dump(mode="json")
    report["hierarchies"] = {
        qi: (
            request.hierarchies[qi].model_dump(exclude={"csv"}, exclude_none=True)
            if qi in request.hierarchies
            else {"kind": "generated"}
        )
        for qi in request.quasi_identifiers
    }
    report["identifiers"] = removed
    out = pa.Table.from_pandas(result.table.astype(object), preserve_index=False)
    derived = derive_version(
        source,
        out,
        target=target,
        derivation={"action": "k-anonymity", "report": report},
        changed={*request.quasi_identifiers, *request.pseudonymize},
        reader=reader,
        node=node,
        session=session,
        message=request.message,
    )
    audit.record(
        session,
        actor=reader,
        action="release.k-anonymity",
        organization_id=source.dataset.organization_id,
        dataset_id=derived.dataset_id,
        version_id=derived.id,
        level=derived.dataset.access,
        details={
            "source": {"dataset": slug, "version": source.number},
            "transformation": report["transformation"],
            "k": request.k,
            **removed,
        },
    )
    public = catalog.version_public(derived, reader=reader, node=node)
    return KanonResult(dataset=target, version=public, report=report)
