"""k-anonymity by optimal full-domain generalization (after ARX), and prosecutor risk."""

from laborcommons.privacy.kanon.anonymize import (
    KAnonymityParameters,
    KAnonymityReport,
    KAnonymityResult,
    MetricName,
    anonymize,
)
from laborcommons.privacy.kanon.hierarchies import (
    GENERATORS,
    Hierarchy,
    date_hierarchy,
    hierarchy_from_rows,
    interval_hierarchy,
    read_hierarchies,
    read_hierarchy,
)
from laborcommons.privacy.kanon.metrics import METRICS
from laborcommons.privacy.kanon.risk import RiskReport, reidentification_risk

__all__ = [
    "GENERATORS",
    "METRICS",
    "Hierarchy",
    "KAnonymityParameters",
    "KAnonymityReport",
    "KAnonymityResult",
    "MetricName",
    "RiskReport",
    "anonymize",
    "date_hierarchy",
    "hierarchy_from_rows",
    "interval_hierarchy",
    "read_hierarchies",
    "read_hierarchy",
    "reidentification_risk",
]
