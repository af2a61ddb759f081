"""Harvesting: list the datasets of other catalogs (CKAN, DCAT) as remote entries."""

from laborcommons.harvest.fetch import HarvestFailed
from laborcommons.harvest.service import (
    LEASE,
    add_source,
    due_sources,
    list_remote_datasets,
    list_sources,
    remove_source,
    run_due,
    run_source,
)

__all__ = [
    "LEASE",
    "HarvestFailed",
    "add_source",
    "due_sources",
    "list_remote_datasets",
    "list_sources",
    "remove_source",
    "run_due",
    "run_source",
]
