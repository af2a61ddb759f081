"""k-anonymity on a node: a version in, a derived k-anonymous version and its report out."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import DatasetVersion
from laborcommons.core.errors import InvalidInput
from laborcommons.core.node import Node
from laborcommons.privacy.kanon import Hierarchy, KAnonymityParameters, anonymize
from laborcommons.privacy.kanon.hierarchies import TOP
from laborcommons.releases.derive import derive_version, version_table
from laborcommons.releases.findings import editable_version
from laborcommons.releases.schemas import HierarchySpec, KanonRequest, KanonResult
from laborcommons.releases.transforms import build_hierarchy, text_values

DEFAULT_HIERARCHY = {"integer": "interval", "number": "interval", "date": "date",
                     "datetime": "date"}  # fmt: skip


def _target(slug: str, request: KanonRequest, source: DatasetVersion, *, reader: Reader,
            session: Session) -> str:  # fmt: skip
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


def _text_frame(table: pa.Table) -> pd.DataFrame:
    return pd.DataFrame({name: text_values(table, name) for name in table.column_names})


def anonymize_version(
    slug: str, number: int, request: KanonRequest,
    *, reader: Reader, node: Node, session: Session,
) -> KanonResult:  # fmt: skip
    """Find the optimal generalization, store the result as a derived version, audit it."""
    source = editable_version(slug, number, reader=reader, session=session)
    target = _target(slug, request, source, reader=reader, session=session)
    frame = _text_frame(version_table(source, node))
    types = {c["name"]: c["type"] for c in source.columns}
    for column in [*request.quasi_identifiers, *([request.sensitive] if request.sensitive else [])]:
        if column not in frame.columns:
            raise InvalidInput(
                f"version {source.number} has no column {column!r}",
                details={"column": column, "columns": list(frame.columns)},
            )
    hierarchies = {
        qi: _hierarchy(
            request.hierarchies.get(qi)
            or HierarchySpec(kind=DEFAULT_HIERARCHY.get(types.get(qi, ""), "suppress")),
            qi, list(frame[qi]),
        )
        for qi in request.quasi_identifiers
    }  # fmt: skip
    parameters = KAnonymityParameters(
        quasi_identifiers=request.quasi_identifiers, k=request.k,
        max_suppression=request.max_suppression, metric=request.metric,
        sensitive=request.sensitive, l_diversity=request.l or 1, seed=request.seed,
    )  # fmt: skip
    result = anonymize(frame, hierarchies, parameters)
    report = result.report.model_dump(mode="json")
    report["hierarchies"] = {
        qi: (request.hierarchies[qi].model_dump(exclude={"csv"}, exclude_none=True)
             if qi in request.hierarchies else {"kind": "generated"})
        for qi in request.quasi_identifiers
    }  # fmt: skip
    out = pa.Table.from_pandas(result.table.astype(object), preserve_index=False)
    derived = derive_version(
        source, out, target=target, derivation={"action": "k-anonymity", "report": report},
        changed=set(request.quasi_identifiers), reader=reader, node=node, session=session,
        message=request.message,
    )  # fmt: skip
    audit.record(
        session, actor=reader, action="release.k-anonymity",
        organization_id=source.dataset.organization_id, dataset_id=derived.dataset_id,
        version_id=derived.id, level=derived.dataset.access,
        details={"source": {"dataset": slug, "version": source.number},
                 "transformation": report["transformation"], "k": request.k},
    )  # fmt: skip
    return KanonResult(dataset=target, version=catalog.version_public(derived), report=report)
