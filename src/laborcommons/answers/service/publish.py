"""Publish a question's safe answer as a dataset of the owner's organization.

The rows are the answer's cells (one per breakdown group), computed by the same ``ask``
every reader goes through, so the published numbers carry the same suppression, noise,
cache and budget; a suppressed cell is a row with an empty value and its reason. The rows
enter as a derived version (``releases.derive``) of the source version, so the catalog
validates, numbers, PII-scans and licenses them like any upload and the lineage names the
source dataset and version, the question, ``algorithm@version`` and its parameters. A
facility breakdown is linked to the facility entities, so the aggregate sits beside supply
relations on entity pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pyarrow as pa
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.answers.reasons import explain
from laborcommons.answers.service.asking import ask
from laborcommons.answers.service.questions import get_question, question_public
from laborcommons.answers.spec import DEFAULT_MIN_SUBJECTS, NoiseSource
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.catalog.schemas import DatasetCreate, DatasetUpdate
from laborcommons.core.errors import InvalidInput, NotFound
from laborcommons.core.node import Node
from laborcommons.core.schemas import StrictInput
from laborcommons.entities import service as entities
from laborcommons.entities.schemas import ColumnMapping, LinkJobCreate
from laborcommons.releases.derive import derive_version

ACTION = "safe-answer"
FACILITY_WORDS = ("facility", "factory", "site", "supplier", "workplace")
PublishLevel = Literal["internal", "named", "group", "public", "open"]


class PublishRequest(StrictInput):
    by: list[str] = Field(min_length=1, max_length=4, description="one allowed breakdown")
    slug: str = Field(min_length=1, max_length=100, description="the published dataset's slug")
    license: str | None = Field(default=None, max_length=60, description="SPDX identifier")
    access: PublishLevel = "open"
    title: str | None = Field(default=None, max_length=300)


class PublishResult(BaseModel):
    dataset: str
    organization: str
    version: int
    created: bool = Field(description="false when the same answer already was the latest")
    rows: int
    suppressed: int
    linked: dict[str, int] = Field(description="facility link counts (empty: no facility)")
    lineage: dict[str, Any]


def answer_table(
    cells: Sequence[Mapping[str, Any]], by: Sequence[str], error_95: float, *, min_subjects: int
) -> pa.Table:
    """One row per cell: the group's columns, the value (empty when suppressed), the
    reason in words and the noise at 95%; column order is the breakdown's."""
    keys = list(by) + sorted({k for c in cells for k in c["group"]} - set(by))
    columns: dict[str, list[Any]] = {key: [] for key in keys}
    columns.update(value=[], suppressed=[], reason=[], error_95=[])
    for cell in cells:
        for key in keys:
            value = cell["group"].get(key)
            columns[key].append(None if value is None else str(value))
        published = not cell["suppressed"] and cell["value"] is not None
        columns["value"].append(float(cell["value"]) if published else None)
        columns["suppressed"].append(bool(cell["suppressed"]))
        columns["reason"].append(
            explain(cell["reason"], min_subjects=min_subjects) if cell["suppressed"] else None
        )
        columns["error_95"].append(float(error_95) if published else None)
    types = {"value": pa.float64(), "suppressed": pa.bool_(), "error_95": pa.float64()}
    return pa.table(
        {
            name: pa.array(values, type=types.get(name, pa.string()))
            for name, values in columns.items()
        }
    )


COLUMN_TYPES = {"value": "number", "suppressed": "boolean", "error_95": "number"}


def _target(
    source: Dataset, question: str, data: PublishRequest, *, reader: Reader, session: Session
) -> Dataset:
    """The published dataset: created in the source's organization, or the one this
    question published before (never someone else's dataset, never another question's)."""
    try:
        target = catalog.get_dataset(data.slug, reader=reader, session=session)
    except NotFound:
        return catalog.create_dataset(
            DatasetCreate(
                slug=data.slug,
                organization=source.organization.slug,
                title=data.title or f"{question} by {', '.join(data.by)}",
                description=f"Safe answers to the question {question!r} on "
                f"{source.title}, by {', '.join(data.by)}.",
                data_type=source.data_type,
                access=data.access,
                license=data.license,
                methodology="Published from an approved question's safe answer: distinct "
                "subjects per cell at least the question's threshold, the dominance rule, "
                "secondary suppression and calibrated noise (see error_95). Suppressed "
                "cells have an empty value and their reason.",
                coverage=list(source.coverage) or None,
            ),
            reader=reader,
            session=session,
        )
    catalog.require_edit(reader, target)
    if target.organization_id != source.organization_id or not _published_from(
        target, source, question
    ):
        raise InvalidInput(
            f"dataset {data.slug!r} exists and was not published from question {question!r} "
            f"of {source.slug!r}; choose another slug",
            details={"field": "slug"},
        )
    catalog.update_dataset(
        data.slug,
        DatasetUpdate(license=data.license, access=data.access),
        reader=reader,
        session=session,
    )
    return target


def _published_from(target: Dataset, source: Dataset, question: str) -> bool:
    derivation = target.versions[-1].derivation if target.versions else None
    if not derivation:
        return False
    origin = derivation.get("source", {})
    return bool(
        derivation.get("action") == ACTION
        and origin.get("dataset") == source.slug
        and derivation.get("question") == question
    )


def _facility_mapping(by: Sequence[str]) -> ColumnMapping | None:
    """A breakdown naming a facility (``factory_name``, ``facility``...) links its rows."""
    names = [c for c in by if any(word in c.lower() for word in FACILITY_WORDS)]
    if not names:
        return None
    country = next((c for c in by if c.lower() in {"country", "country_code"}), None)
    return ColumnMapping(name=names[0], country=country)


def _link(
    version: DatasetVersion, mapping: ColumnMapping, *, reader: Reader, node: Node, session: Session
) -> dict[str, int]:
    data = LinkJobCreate(
        dataset=version.dataset.slug, version=version.number, kind="facility", mapping=mapping
    )
    return entities.link_version_inline(data, version, reader=reader, node=node, session=session)


def publish_answer(
    source_slug: str,
    question: str,
    answer: Mapping[str, Any],
    data: PublishRequest,
    *,
    parameters: Mapping[str, Any],
    reader: Reader,
    node: Node,
    session: Session,
) -> PublishResult:
    """Write ``answer`` (the API's answer shape, from ``ask``) as the next version of the
    published dataset, derived from the source's latest version; link facility rows."""
    source = catalog.get_dataset(source_slug, reader=reader, session=session)
    catalog.require_edit(reader, source)
    source_version = catalog.get_version(source_slug, None, reader=reader, session=session)
    target = _target(source, question, data, reader=reader, session=session)
    minimum = int(parameters.get("min_subjects", DEFAULT_MIN_SUBJECTS))
    table = answer_table(
        answer["cells"], data.by, answer["noise"]["error_95"], min_subjects=minimum
    )
    algorithm = str(answer["algorithm"])  # already ``name@version``, e.g. ``mean@1``
    derivation = {
        "action": ACTION,
        "question": question,
        "algorithm": algorithm,
        "by": list(data.by),
        "parameters": dict(parameters),
        "noise": dict(answer["noise"]),
    }
    before = target.versions[-1].number if target.versions else 0
    version = derive_version(
        source_version,
        table,
        target=target.slug,
        derivation=derivation,
        changed=set(table.column_names),
        types=COLUMN_TYPES,
        reader=reader,
        node=node,
        session=session,
        message=f"safe answer {question!r} ({algorithm}) of {source_slug} "
        f"version {source_version.number}",
    )
    created = version.number > before
    mapping = _facility_mapping(data.by)
    linked = (
        _link(version, mapping, reader=reader, node=node, session=session)
        if created and mapping
        else {}
    )
    suppressed = sum(1 for cell in answer["cells"] if cell["suppressed"])
    audit.record(
        session,
        actor=reader,
        action="answers.publish",
        organization_id=source.organization_id,
        dataset_id=version.dataset_id,
        version_id=version.id,
        level=target.access,
        details={
            "source": {"dataset": source_slug, "version": source_version.number},
            "question": question,
            "algorithm": algorithm,
            "by": list(data.by),
            "cells": len(answer["cells"]),
            "suppressed": suppressed,
        },
    )
    return PublishResult(
        dataset=target.slug,
        organization=target.organization.slug,
        version=version.number,
        created=created,
        rows=table.num_rows,
        suppressed=suppressed,
        linked=linked,
        lineage=version.derivation or {},
    )


def publish_question(
    slug: str,
    name: str,
    data: PublishRequest,
    *,
    reader: Reader,
    node: Node,
    session: Session,
    noise: NoiseSource,
) -> PublishResult:
    """Ask ``name`` by ``data.by`` as the owner (the same ``ask`` every reader gets: cache,
    suppression, noise, budget) and publish that answer; only editors of the source may."""
    dataset, question = get_question(slug, name, reader=reader, session=session)
    catalog.require_edit(reader, dataset)
    answer = ask(slug, name, data.by, reader=reader, node=node, session=session, noise=noise)
    parameters = question_public(question, dataset, session=session).model_dump(
        exclude={"name", "dataset", "algorithm", "audience"}
    )
    return publish_answer(
        slug,
        name,
        answer.model_dump(mode="json"),
        data,
        parameters=parameters,
        reader=reader,
        node=node,
        session=session,
    )
