"""Privacy tools: PII scan, pseudonymization, k-anonymity and re-identification risk.

Pure algorithms over tables (pandas, Arrow, DuckDB): no database, no node. The releases
domain stores their results and decides who sees them.
"""

from laborcommons.privacy.kanon import (
    Hierarchy,
    KAnonymityParameters,
    KAnonymityReport,
    KAnonymityResult,
    RiskReport,
    anonymize,
    date_hierarchy,
    hierarchy_from_rows,
    interval_hierarchy,
    read_hierarchies,
    read_hierarchy,
    reidentification_risk,
)
from laborcommons.privacy.pii import PII_KINDS, PiiFinding, PiiReport, scan_columns, scan_table
from laborcommons.privacy.pseudonyms import (
    PSEUDONYM_LENGTH,
    new_pseudonym_key,
    pseudonym,
    pseudonymize,
)

__all__ = [
    "PII_KINDS",
    "PSEUDONYM_LENGTH",
    "Hierarchy",
    "KAnonymityParameters",
    "KAnonymityReport",
    "KAnonymityResult",
    "PiiFinding",
    "PiiReport",
    "RiskReport",
    "anonymize",
    "date_hierarchy",
    "hierarchy_from_rows",
    "interval_hierarchy",
    "new_pseudonym_key",
    "pseudonym",
    "pseudonymize",
    "read_hierarchies",
    "read_hierarchy",
    "reidentification_risk",
    "scan_columns",
    "scan_table",
]
