"""Datasets by address (``slug`` or ``organization~slug``), as ORM objects.

The rule itself (per-organization slugs, per-reader resolution, refusing a slug that
would shadow one the reader can see) has one owner, ``access.refs``; this module only
loads the catalog's ``Dataset`` for the reference it resolves.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from laborcommons.access import Reader, dataset_address, dataset_refs_at, resolve_dataset_ref
from laborcommons.catalog.models import Dataset


def address_of(dataset: Dataset) -> str:
    return dataset_address(dataset.organization.slug, dataset.slug)


def resolve(address: str, *, reader: Reader, session: Session) -> Dataset | None:
    """The one dataset ``address`` names for ``reader`` (409 when it names several)."""
    ref = resolve_dataset_ref(address, reader=reader, session=session)
    return session.get(Dataset, ref.id) if ref else None


def hidden_datasets_at(address: str, *, reader: Reader, session: Session) -> list[Dataset]:
    """Datasets at ``address`` that ``reader`` may not know of: for refusal records only."""
    refs = dataset_refs_at(address, session=session)
    return [d for r in refs if not r.discoverable_by(reader) if (d := session.get(Dataset, r.id))]
