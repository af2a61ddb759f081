"""Evidence use cases. Services take the session as a keyword and never commit."""

from laborcommons.evidence.service.attachments import (
    MAX_BYTES as MAX_ATTACHMENT_BYTES,
)
from laborcommons.evidence.service.attachments import (
    attach_file,
    attachment_file,
    list_attachments,
)
from laborcommons.evidence.service.mapping import linked_kinds, list_mappings, map_column
from laborcommons.evidence.service.metrics import create_metric, get_metric, list_metrics
from laborcommons.evidence.service.reading import (
    deviations,
    entity_evidence,
    get_answer,
    list_answers,
)
from laborcommons.evidence.service.stewards import is_steward
from laborcommons.evidence.service.suggestions import suggest
from laborcommons.evidence.service.verification import verify_answer

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "attach_file",
    "attachment_file",
    "create_metric",
    "deviations",
    "entity_evidence",
    "get_answer",
    "get_metric",
    "is_steward",
    "linked_kinds",
    "list_answers",
    "list_attachments",
    "list_mappings",
    "list_metrics",
    "map_column",
    "suggest",
    "verify_answer",
]
