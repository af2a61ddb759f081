"""The publishing checklist: what a dataset has, and lacks, before `public` or `open`.

The license and PII items ask the rules that refuse the level change
(``check_publishable``, ``check_releasable``), so the list can never disagree with them;
the others are documentation a reader needs, shown as missing but not enforced.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.models import Dataset
from laborcommons.catalog.schemas import ChecklistItem, PublishingChecklist
from laborcommons.catalog.service.datasets import (
    check_publishable,
    check_releasable,
    get_dataset,
    require_edit,
)
from laborcommons.core.errors import InvalidInput

PUBLISHED = ("public", "open")


def _refusal(check: Callable[[], None]) -> str | None:
    """The message the publishing rule would refuse with, or None when it passes."""
    try:
        check()
    except InvalidInput as error:
        return error.message
    return None


def _text_item(dataset: Dataset, key: str, label: str, missing: str) -> ChecklistItem:
    value = (getattr(dataset, key) or "").strip()
    return ChecklistItem(
        key=key,
        label=label,
        ok=bool(value),
        blocking=False,
        detail="Described." if value else missing,
        link=f"/datasets/{dataset.slug}/edit#{key}",
    )


def _license_item(dataset: Dataset, level: str) -> ChecklistItem:
    refused = _refusal(lambda: check_publishable(level, dataset.license))
    return ChecklistItem(
        key="license",
        label="License",
        ok=refused is None,
        blocking=True,
        detail=refused or f"{dataset.license} allows the {level} level.",
        link=f"/licenses/choose?dataset={dataset.slug}",
    )


def _coverage_item(dataset: Dataset) -> ChecklistItem:
    countries = list(dataset.coverage or [])
    return ChecklistItem(
        key="coverage",
        label="Coverage",
        ok=bool(countries),
        blocking=False,
        detail=f"Countries: {', '.join(countries)}."
        if countries
        else "Name the countries the data covers.",
        link=f"/datasets/{dataset.slug}/edit#coverage",
    )


def _dictionary_item(dataset: Dataset) -> ChecklistItem:
    link = f"/datasets/{dataset.slug}/edit#data_dictionary"
    if not dataset.versions:
        detail, ok = "No version yet: upload one, then describe its columns.", False
        link = f"/datasets/{dataset.slug}/upload"
    else:
        described = dataset.data_dictionary or {}
        names = [column["name"] for column in dataset.versions[-1].columns]
        bare = [n for n in names if not str(described.get(n, {}).get("description", "")).strip()]
        ok = not bare
        detail = (
            f"All {len(names)} columns are described."
            if ok
            else f"{len(bare)} of {len(names)} columns have no description: {', '.join(bare)}."
        )
    return ChecklistItem(
        key="data_dictionary",
        label="Data dictionary",
        ok=ok,
        blocking=False,
        detail=detail,
        link=link,
    )


def _pii_item(dataset: Dataset, level: str, *, session: Session) -> ChecklistItem:
    refused = _refusal(lambda: check_releasable(dataset, level, session=session))
    latest = dataset.versions[-1].number if dataset.versions else None
    link = (
        f"/datasets/{dataset.slug}/versions/{latest}/privacy"
        if latest is not None
        else f"/datasets/{dataset.slug}/upload"
    )
    detail = refused or (
        f"Version {latest} holds no unresolved personal data."
        if latest is not None
        else "No version yet: each upload is scanned for personal data."
    )
    return ChecklistItem(
        key="pii",
        label="PII findings resolved",
        ok=refused is None,
        blocking=True,
        detail=detail,
        link=link,
    )


def dataset_checklist(dataset: Dataset, level: str, *, session: Session) -> PublishingChecklist:
    """The checklist of ``dataset`` for ``level`` (`public` or `open`)."""
    items = [
        _license_item(dataset, level),
        _text_item(dataset, "methodology", "Methodology", "Say how the data was collected."),
        _text_item(
            dataset, "sample_description", "Sample", "Say who or what the rows are a sample of."
        ),
        _coverage_item(dataset),
        _dictionary_item(dataset),
        _pii_item(dataset, level, session=session),
    ]
    return PublishingChecklist(
        dataset=dataset.slug,
        level=level,
        items=items,
        ready=all(item.ok for item in items if item.blocking),
        complete=all(item.ok for item in items),
    )


def checklist_level(dataset: Dataset) -> str:
    """Its own level once published; until then the stricter target, `open`."""
    return dataset.access if dataset.access in PUBLISHED else "open"


def publishing_checklist(
    slug: str, *, reader: Reader, session: Session, level: str | None = None
) -> PublishingChecklist:
    """For its editors only: a hidden dataset is a 404, as everywhere."""
    dataset = get_dataset(slug, reader=reader, session=session)
    require_edit(reader, dataset)
    return dataset_checklist(dataset, level or checklist_level(dataset), session=session)
