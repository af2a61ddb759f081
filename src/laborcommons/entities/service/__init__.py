"""Entities use cases. Services take the session as a keyword and never commit
(except ``execute_link_job``, a runner the edges call, which owns its transactions)."""

from laborcommons.entities.service.evidence_reads import record_evidence_read
from laborcommons.entities.service.exports import EXPORT_FORMATS, export_entities
from laborcommons.entities.service.history import changes_since, entity_history, record_event
from laborcommons.entities.service.identifiers import (
    SCHEMES,
    add_identifier,
    canonical_identifier,
    entity_by_identifier,
)
from laborcommons.entities.service.inline_link import link_version_inline
from laborcommons.entities.service.jobs import (
    create_link_job,
    execute_link_job,
    get_link_job,
    suggest_mapping,
)
from laborcommons.entities.service.lookup import (
    alias_ids,
    canonical_entity,
    canonical_roots,
    resolve_entity,
)
from laborcommons.entities.service.merging import merge_entities, split_entity
from laborcommons.entities.service.permissions import may_change_entity, require_entity_change
from laborcommons.entities.service.places import (
    MAX_POINTS,
    related_places,
    search_places,
    version_places,
)
from laborcommons.entities.service.planning import iter_rows
from laborcommons.entities.service.records import (
    add_entity_identifier,
    create_entity,
    entity_summary,
    update_entity,
)
from laborcommons.entities.service.relations import RELATION_KINDS, add_relation, relations_page
from laborcommons.entities.service.review import (
    accept_candidate,
    bulk_review,
    list_candidates,
    reject_candidate,
)
from laborcommons.entities.service.row_identities import linked_versions, row_identities
from laborcommons.entities.service.search import search_entities
from laborcommons.entities.service.text import searchable
from laborcommons.entities.service.views import (
    RELATIONS_PAGE_SIZE,
    datasets_mentioning,
    entity_public,
)
from laborcommons.entities.service.visibility import (
    Sight,
    entity_visible,
    require_visible,
    shown_many,
    visible_source_clause,
)

__all__ = [
    "EXPORT_FORMATS",
    "MAX_POINTS",
    "RELATIONS_PAGE_SIZE",
    "RELATION_KINDS",
    "SCHEMES",
    "Sight",
    "accept_candidate",
    "add_entity_identifier",
    "add_identifier",
    "add_relation",
    "alias_ids",
    "bulk_review",
    "canonical_entity",
    "canonical_identifier",
    "canonical_roots",
    "changes_since",
    "create_entity",
    "create_link_job",
    "datasets_mentioning",
    "entity_by_identifier",
    "entity_history",
    "entity_public",
    "entity_summary",
    "entity_visible",
    "execute_link_job",
    "export_entities",
    "get_link_job",
    "iter_rows",
    "link_version_inline",
    "linked_versions",
    "list_candidates",
    "may_change_entity",
    "merge_entities",
    "record_event",
    "record_evidence_read",
    "reject_candidate",
    "related_places",
    "relations_page",
    "require_entity_change",
    "require_visible",
    "resolve_entity",
    "row_identities",
    "search_entities",
    "search_places",
    "searchable",
    "shown_many",
    "split_entity",
    "suggest_mapping",
    "update_entity",
    "version_places",
    "visible_source_clause",
]
