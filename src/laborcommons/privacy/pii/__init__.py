"""PII scan: direct identifiers per column (e-mail, phone, IBAN, ID numbers, names, keys)."""

from laborcommons.privacy.pii.scan import (
    PII_KINDS,
    PiiFinding,
    PiiKind,
    PiiReport,
    scan_batches,
    scan_columns,
    scan_table,
)

__all__ = [
    "PII_KINDS",
    "PiiFinding",
    "PiiKind",
    "PiiReport",
    "scan_batches",
    "scan_columns",
    "scan_table",
]
