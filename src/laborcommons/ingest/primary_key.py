"""A Table Schema ``primaryKey``: every row has the key's fields, and no two rows share them.

One DuckDB query finds rows with an empty key field, another the rows whose key an earlier
row already has (naming that row), so a duplicate is reported where it is and where it was.
"""

from __future__ import annotations

from typing import Any

from laborcommons.ingest import issues
from laborcommons.ingest.readers.base import Staged
from laborcommons.ingest.schemas import ValidationReport
from laborcommons.ingest.sql import literal

LIMIT = 1000


def check_primary_key(
    con: Any,
    staged: Staged,
    key: list[str],
    sql: dict[str, tuple[str, str]],
    report: ValidationReport,
) -> None:
    """Report ``primary-key-error`` issues; ``sql`` is each key field's (raw, typed) SQL.

    Emptiness is judged on the raw text (a value of the wrong type is a type error, not an
    empty key) and sameness on the typed value (``01`` and ``1`` are one integer key).
    """
    source = f"read_parquet({literal(staged.path)}, file_row_number=true)"
    row = staged.row_sql()
    named = ", ".join(key)
    values = ", ".join(
        f"{sql[name][1]} AS k{index}, {sql[name][0]} AS r{index}" for index, name in enumerate(key)
    )
    keys = ", ".join(f"k{index}" for index in range(len(key)))
    empty = " OR ".join(f"r{index} IS NULL" for index in range(len(key)))
    untyped = " OR ".join(f"k{index} IS NULL" for index in range(len(key)))
    inner = f"SELECT {row} AS row_, {values} FROM {source}"
    nulls = con.execute(
        f"SELECT row_, count(*) OVER () FROM ({inner}) WHERE {empty} ORDER BY row_ LIMIT {LIMIT}"
    ).fetchall()
    for number, _ in nulls:
        message = f"row {number}: primary key ({named}) has an empty field"
        issues.add(report, "primary-key-error", message, row=int(number), column=key[0])
    if nulls:
        issues.count_unlisted(report, int(nulls[0][1]) - len(nulls))
    first = f"min(row_) OVER (PARTITION BY {keys})"
    repeats = con.execute(
        f"SELECT row_, first_, {keys}, count(*) OVER () FROM "
        f"(SELECT *, {first} AS first_ FROM ({inner}) WHERE NOT ({untyped})) "
        f"WHERE row_ > first_ ORDER BY row_ LIMIT {LIMIT}"
    ).fetchall()
    for found in repeats:
        number, earlier, shown = found[0], found[1], ", ".join(str(v) for v in found[2:-1])
        message = f"row {number}: primary key ({named}) = ({shown}) repeats row {earlier}"
        issues.add(
            report, "primary-key-error", message, row=int(number), column=key[0], value=shown
        )
    if repeats:
        issues.count_unlisted(report, int(repeats[0][-1]) - len(repeats))
