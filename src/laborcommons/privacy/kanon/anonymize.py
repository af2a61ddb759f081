"""k-anonymize a table: find the optimal transformation, apply it, suppress, shuffle, report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field, model_validator

from laborcommons.core.errors import InvalidInput
from laborcommons.privacy.kanon.encoding import EncodedTable, combine, encode_table
from laborcommons.privacy.kanon.groups import Classes, base_cells, group
from laborcommons.privacy.kanon.hierarchies import Hierarchy
from laborcommons.privacy.kanon.metrics import REPORTED
from laborcommons.privacy.kanon.risk import RiskReport, risk_of_classes
from laborcommons.privacy.kanon.search import Search

MetricName = Literal["entropy", "loss", "discernibility", "average-class-size"]


class KAnonymityParameters(BaseModel):
    """What the publisher asks for; kept in the report and in a derived version's lineage."""

    quasi_identifiers: list[str] = Field(min_length=1)
    k: int = Field(ge=1)
    max_suppression: float = Field(default=0.0, ge=0.0, le=1.0)
    metric: MetricName = "entropy"
    sensitive: str | None = None
    l_diversity: int = Field(default=1, ge=1)
    seed: int = 0

    @model_validator(mode="after")
    def _consistent(self) -> KAnonymityParameters:
        if len(set(self.quasi_identifiers)) != len(self.quasi_identifiers):
            raise ValueError("a quasi-identifier is listed twice")
        if self.l_diversity > 1 and not self.sensitive:
            raise ValueError("l-diversity needs a sensitive column")
        return self


class KAnonymityReport(BaseModel):
    """The transformation chosen, what it cost, and the risk before and after."""

    parameters: KAnonymityParameters
    transformation: dict[str, int]
    metric_value: float
    metrics: dict[str, float]
    records_in: int
    records_out: int
    suppressed: int
    k_achieved: int
    l_achieved: int | None
    risk_before: RiskReport
    risk_after: RiskReport
    lattice_nodes: int
    nodes_evaluated: int


@dataclass(frozen=True)
class KAnonymityResult:
    table: pd.DataFrame
    report: KAnonymityReport


def anonymize(
    table: pd.DataFrame, hierarchies: Mapping[str, Hierarchy], parameters: KAnonymityParameters
) -> KAnonymityResult:
    """The optimal full-domain generalization of ``table`` under ``parameters``.

    Records left in classes smaller than k (or with fewer than l sensitive values) are
    removed, and the output rows are shuffled with ``parameters.seed`` so that row order
    cannot link them back to the input.
    """
    qis = parameters.quasi_identifiers
    missing = [column for column in qis if column not in hierarchies]
    if missing:
        raise InvalidInput(
            f"no generalization hierarchy for {', '.join(map(repr, missing))}",
            details={"columns": missing},
        )
    encoded = encode_table(table, hierarchies, qis, parameters.sensitive)
    search = Search(
        encoded,
        k=parameters.k,
        l_diversity=parameters.l_diversity,
        max_suppression=parameters.max_suppression,
    )
    optimum = search.optimum(parameters.metric)
    if optimum is None:
        raise InvalidInput(
            f"no transformation makes these {encoded.records} records {parameters.k}-anonymous"
            + (f" and {parameters.l_diversity}-diverse" if parameters.l_diversity > 1 else "")
            + f" with at most {parameters.max_suppression:.1%} suppressed, "
            "not even generalizing every quasi-identifier fully",
            details=parameters.model_dump(),
        )
    classes = optimum.classes
    output = _apply(table, encoded, classes, parameters.seed)
    kept = classes.size[classes.kept]
    before = group(encoded, [0] * len(qis), base_cells(encoded), k=1, l_diversity=1)
    report = KAnonymityReport(
        parameters=parameters,
        transformation=dict(zip(qis, optimum.levels, strict=True)),
        metric_value=optimum.value,
        metrics={name: measure(encoded, classes) for name, measure in REPORTED.items()},
        records_in=encoded.records,
        records_out=len(output),
        suppressed=classes.suppressed,
        k_achieved=int(kept.min()) if len(kept) else 0,
        l_achieved=int(classes.distinct[classes.kept].min())
        if parameters.sensitive and len(kept)
        else None,
        risk_before=risk_of_classes(before.size),
        risk_after=risk_of_classes(kept),
        lattice_nodes=optimum.nodes,
        nodes_evaluated=optimum.evaluated,
    )
    return KAnonymityResult(table=output, report=report)


def _apply(table: pd.DataFrame, encoded: EncodedTable, classes: Classes, seed: int) -> pd.DataFrame:
    """Generalize each quasi-identifier, drop the suppressed rows, shuffle the rest."""
    rows = encoded.row_cell
    levels = classes.levels
    codes = [
        np.r_[encoded.codes(j, level, rows), encoded.codes(j, level, classes.rep)]
        for j, level in enumerate(levels)
    ]
    sizes = [encoded.columns[j].size(level) for j, level in enumerate(levels)]
    key = combine(codes, sizes)
    row_key, class_key = key[: len(rows)], key[len(rows) :]
    keep = ~np.isin(row_key, class_key[classes.outlier])
    output = table.copy()
    for j, level in enumerate(levels):
        column = encoded.columns[j]
        output[column.name] = column.labels[level][codes[j][: len(rows)]]
    output = output.loc[keep]
    order = np.random.default_rng(seed).permutation(len(output))
    return output.iloc[order].reset_index(drop=True)
