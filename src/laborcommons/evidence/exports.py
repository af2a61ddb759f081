"""The deviations list as CSV: one line per source of each deviating group, so a
spreadsheet can filter them (the API and the web page serve the same bytes). Names come
from rows, so text cells get the catalog's formula-prefix rule, as every CSV download."""

from __future__ import annotations

import csv
import io

from laborcommons.catalog.service import escape_formula
from laborcommons.evidence.schemas import Triangulation

DEVIATION_COLUMNS = (
    "entity",
    "name",
    "country",
    "metric",
    "qualifier",
    "period",
    "consensus",
    "dataset",
    "version",
    "row",
    "value",
    "method",
    "verification",
    "deviates",
    "explanation",
)


def deviations_csv(found: list[Triangulation]) -> str:
    """One line per source of each deviating group, so a spreadsheet can filter them."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DEVIATION_COLUMNS)
    for group in found:
        for source in group.sources:
            writer.writerow(
                _cell(value)
                for value in [
                    group.entity,
                    group.name,
                    group.country or "",
                    group.metric,
                    group.qualifier,
                    group.period,
                    group.consensus,
                    source.dataset,
                    source.version,
                    source.row,
                    source.value,
                    source.method,
                    source.verification,
                    source.deviates,
                    group.explanation,
                ]
            )
    return out.getvalue()


def _cell(value: object) -> object:
    return escape_formula(value) if isinstance(value, str) else value
