"""A CKAN-compatible action API (package_search, package_show, ...) over the catalog, so
ckanapi and CKAN's harvester read this node unmodified (docs/standards.md)."""

from laborcommons.catalog.ckan.actions import ACTIONS, Call, run_action
from laborcommons.catalog.ckan.envelope import PREFIXES, ckan_error
from laborcommons.catalog.ckan.packages import organization_dict, package_dict
from laborcommons.catalog.ckan.search import SearchQuery, package_list, package_search

__all__ = [
    "ACTIONS",
    "PREFIXES",
    "Call",
    "SearchQuery",
    "ckan_error",
    "organization_dict",
    "package_dict",
    "package_list",
    "package_search",
    "run_action",
]
