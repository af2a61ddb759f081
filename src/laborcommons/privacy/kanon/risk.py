"""Re-identification risk under the prosecutor model, from equivalence class sizes.

A record in a class of size s is re-identified with probability 1/s by an attacker who
knows its quasi-identifiers and that it is in the data. Average risk is then
classes / records, sample uniqueness the share of records alone in their class, and the
highest risk 1 / (smallest class size).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pydantic import BaseModel

from laborcommons.privacy.kanon.encoding import Ints


class RiskReport(BaseModel):
    records: int
    classes: int
    average_prosecutor_risk: float
    sample_uniqueness: float
    highest_risk: float
    records_at_highest_risk: int


def risk_of_classes(sizes: Ints) -> RiskReport:
    """Risk of a table whose equivalence classes have these sizes."""
    sizes = sizes[sizes > 0]
    records = int(sizes.sum())
    if not records:
        return RiskReport(
            records=0,
            classes=0,
            average_prosecutor_risk=0.0,
            sample_uniqueness=0.0,
            highest_risk=0.0,
            records_at_highest_risk=0,
        )
    smallest = int(sizes.min())
    return RiskReport(
        records=records,
        classes=len(sizes),
        average_prosecutor_risk=len(sizes) / records,
        sample_uniqueness=int(np.count_nonzero(sizes == 1)) / records,
        highest_risk=1 / smallest,
        records_at_highest_risk=int(sizes[sizes == smallest].sum()),
    )


def reidentification_risk(table: pd.DataFrame, quasi_identifiers: Sequence[str]) -> RiskReport:
    """Prosecutor risk of a table as it is, over the given quasi-identifier columns."""
    if not len(table):
        return risk_of_classes(np.zeros(0, dtype=np.int64))
    if not quasi_identifiers:
        return risk_of_classes(np.asarray([len(table)], dtype=np.int64))
    sizes = table.groupby(list(quasi_identifiers), dropna=False, sort=False).size()
    return risk_of_classes(np.asarray(sizes.to_numpy(), dtype=np.int64))
