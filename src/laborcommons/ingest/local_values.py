"""Numbers and dates as people write them: ``9.000,00``, ``12 500,50``, ``1,234.5``, ``31.12.2024``.

Runs on columns that every other typing left as text. A column is read as numbers only
when every value is written in one convention (decimal comma with ``.`` or space groups,
or decimal point with ``,`` or space groups); as dates only when every value is a
``dd.mm.yyyy`` / ``dd/mm/yyyy`` (or ``mm/dd/yyyy``) date and some day is over 12, so the
order is certain. Each reading is a warning saying what was interpreted; a column that
could be read two ways stays text with a warning naming it, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laborcommons.ingest import issues
from laborcommons.ingest.schemas import ValidationReport
from laborcommons.ingest.sql import ident, literal

GROUP_SPACES = "\u0020\u00a0\u202f"  # space, no-break space, narrow no-break space
# Decimal comma; thousands grouped by "." or a space. No leading zeros ("01234" is a code)
# and no "+" (a "+49 301 234" is a phone number).
COMMA_DECIMAL = rf"-?(0|[1-9][0-9]{{0,2}}([.{GROUP_SPACES}][0-9]{{3}})+|[1-9][0-9]*)(,[0-9]+)?"
# Decimal point; thousands grouped by "," or a space.
POINT_DECIMAL = rf"-?(0|[1-9][0-9]{{0,2}}([,{GROUP_SPACES}][0-9]{{3}})+|[1-9][0-9]*)(\.[0-9]+)?"
SEPARATED = rf"[,.{GROUP_SPACES}]"  # a value that uses some separator at all
DAY_MONTH = r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})"  # one separator kind per value


@dataclass(frozen=True)
class Reading:
    expression: str  # SQL turning the text column into its typed value
    duck_type: str


def _comma_number(value: str, cast: str = "CAST") -> str:
    stripped = f"regexp_replace({value}, {literal(f'[.{GROUP_SPACES}]')}, '', 'g')"
    return f"{cast}(replace({stripped}, ',', '.') AS DOUBLE)"


def _point_number(value: str, cast: str = "CAST") -> str:
    stripped = f"regexp_replace({value}, {literal(f'[,{GROUP_SPACES}]')}, '', 'g')"
    return f"{cast}({stripped} AS DOUBLE)"


def _date(value: str, order: str) -> str:
    pattern = "%d.%m.%Y" if order == "day" else "%m.%d.%Y"
    return f"CAST(try_strptime(replace({value}, '/', '.'), {literal(pattern)}) AS DATE)"


def _aggregates(column: str) -> list[str]:
    value = f"trim({ident(column)})"
    comma = f"regexp_full_match({value}, {literal(COMMA_DECIMAL)})"
    point = f"regexp_full_match({value}, {literal(POINT_DECIMAL)})"
    dated = f"regexp_full_match({value}, {literal(DAY_MONTH)})"
    first = f"TRY_CAST(regexp_extract({value}, {literal(DAY_MONTH)}, 1) AS INTEGER)"
    second = f"TRY_CAST(regexp_extract({value}, {literal(DAY_MONTH)}, 2) AS INTEGER)"
    return [
        f"count({ident(column)})",
        f"count(*) FILTER ({comma})",
        f"count(*) FILTER ({point})",
        f"count(*) FILTER (regexp_matches({value}, {literal(SEPARATED)}))",
        f"count(*) FILTER ({comma} AND {point} AND "
        f"{_comma_number(value, 'TRY_CAST')} IS DISTINCT FROM {_point_number(value, 'TRY_CAST')})",
        f"count(*) FILTER ({dated})",
        f"max({first}) FILTER ({dated})",
        f"max({second}) FILTER ({dated})",
        f"count(*) FILTER ({_date(value, 'day')} IS NOT NULL)",
        f"count(*) FILTER ({_date(value, 'month')} IS NOT NULL)",
        f"min({value}) FILTER ({regexp(value)})",
    ]


def regexp(value: str) -> str:
    """Values that show the convention (for the warning's example)."""
    return f"regexp_matches({value}, {literal('[,./' + GROUP_SPACES + ']')})"


def read_local_values(
    con: Any, path: Path, columns: dict[str, str], report: ValidationReport
) -> dict[str, Reading]:
    """Readings for text ``columns`` (staged source name -> output name) in ``path``.

    One aggregate query; each reading or refusal to guess is a warning in ``report``.
    """
    if not columns:
        return {}
    sources = list(columns)
    select = [part for source in sources for part in _aggregates(source)]
    row = con.execute(f"SELECT {', '.join(select)} FROM read_parquet({literal(path)})").fetchall()
    width = len(_aggregates(""))
    readings: dict[str, Reading] = {}
    for index, source in enumerate(sources):
        stats = row[0][index * width : (index + 1) * width]
        reading = _judge(source, columns[source], stats, report)
        if reading is not None:
            readings[source] = reading
    return readings


def _judge(
    source: str, name: str, stats: tuple[Any, ...], report: ValidationReport
) -> Reading | None:
    present, comma, point, separated, differ, dated, first, second, day, month, example = stats
    value = f"trim({ident(source)})"
    if not present:
        return None
    if separated and (comma == present or point == present):
        if comma == present and point == present and differ:
            message = (
                f"column {name!r}: values such as {example!r} could be read with a decimal "
                "comma or a decimal point, so they stay text; a Table Schema can say which"
            )
            issues.warn(report, "ambiguous-numbers", message, column=name, value=example)
            return None
        comma_reading = comma == present and (point != present or not differ)
        convention = (
            "a decimal comma ('.' or a space groups thousands)"
            if comma_reading and point != present
            else "a decimal point (',' or a space groups thousands)"
        )
        message = f"column {name!r}: numbers written with {convention}, such as {example!r}"
        issues.warn(report, "decimal-comma", message, column=name, value=example)
        expression = _comma_number(value) if comma_reading else _point_number(value)
        return Reading(expression, "DOUBLE")
    if dated == present:
        if first > 12 and second <= 12 and day == present:
            return _dates(report, name, example, "day", value)
        if second > 12 and first <= 12 and month == present:
            return _dates(report, name, example, "month", value)
        if first <= 12 and second <= 12:
            message = (
                f"column {name!r}: dates such as {example!r} could be day/month or "
                "month/day (no day is over 12), so they stay text; a Table Schema can say which"
            )
            issues.warn(report, "ambiguous-dates", message, column=name, value=example)
    return None


def _dates(report: ValidationReport, name: str, example: str, order: str, value: str) -> Reading:
    kind = "day-first-dates" if order == "day" else "month-first-dates"
    spelled = "dd.mm.yyyy or dd/mm/yyyy" if order == "day" else "mm/dd/yyyy"
    message = f"column {name!r}: dates written {spelled}, such as {example!r}, read as dates"
    issues.warn(report, kind, message, column=name, value=example)
    return Reading(_date(value, order), "DATE")
