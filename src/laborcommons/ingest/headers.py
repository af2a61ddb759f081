"""Header checks shared by every tabular reader: names must be present and distinct."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from laborcommons.ingest import issues
from laborcommons.ingest.schemas import ValidationReport


def clean(cell: object) -> str:
    """Strip the whitespace spreadsheets leave around header text."""
    return "" if cell is None else str(cell).strip()


def check_header(
    names: Sequence[str],
    *,
    report: ValidationReport,
    row: int | None,
    label: Callable[[int], str],
) -> bool:
    """Report blank and duplicate names; DuckDB and Parquet cannot address such columns.

    ``label(i)`` names the 0-based position ``i`` for the user (``column 3``, ``column C``).
    Duplicates are compared case-insensitively because DuckDB column names are.
    """
    ok = True
    seen: dict[str, int] = {}
    for position, name in enumerate(names):
        where = label(position)
        if not name:
            issues.add(report, "blank-header", f"{where} has no header", row=row, column=where)
            ok = False
            continue
        first = seen.setdefault(name.casefold(), position)
        if first != position:
            issues.add(
                report,
                "duplicate-header",
                f"header {name!r} in {where} repeats {names[first]!r} in {label(first)}",
                row=row,
                column=name,
            )
            ok = False
    return ok
