"""Unit, period and currency normalization with stated factors.

Every answer is stored in its metric's unit beside the value as written; the steps taken
are kept as a list of ``{"step", "factor", ...}`` so a reader can redo the arithmetic.

Period factors are conventions, stated here once and in docs/evidence.md:
a month is 52/12 weeks; a working month is 26 days (six-day weeks, the garment sector's
norm the ILO uses for monthly equivalents); a working month is 208 hours (48-hour weeks,
the legal maximum of regular hours in most producing countries). Currencies convert
through USD with a rates dataset the node holds (``currency``, ``per_usd``, ``date``): the
rate used is the latest on or before the period's end, and its date is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from laborcommons.core.errors import InvalidInput

PER_MONTH = {  # how many of the period make a month (see the module docstring)
    "month": 1.0,
    "year": 1 / 12,
    "week": 52 / 12,
    "day": 26.0,
    "hour": 208.0,
}
HOURS_PER = {"week": 1.0, "month": 12 / 52, "day": 6.0, "year": 1 / 52}
MONEY = re.compile(r"^(?P<currency>[A-Z]{3})/(?P<period>year|month|week|day|hour)$")
HOURS = re.compile(r"^hours/(?P<period>week|month|day|year)$")
SCALE = re.compile(r"^0-(?P<top>[0-9]+(\.[0-9]+)?)$")
GRADES = re.compile(r"^A-(?P<last>[B-Z])$")  # letter grades, A the best


@dataclass(frozen=True)
class Rate:
    currency: str
    per_usd: float
    day: date
    source: str


@dataclass
class Rates:
    """The exchange rates of one rates dataset version, by currency, oldest first."""

    source: str = ""
    by_currency: dict[str, list[Rate]] = field(default_factory=dict)

    def at(self, currency: str, period: str) -> Rate | None:
        """The latest rate on or before the period's end (the earliest if all are later)."""
        rates = self.by_currency.get(currency, [])
        if not rates:
            return None
        end = period_end(period)
        earlier = [r for r in rates if r.day <= end]
        return earlier[-1] if earlier else rates[0]


def period_end(period: str) -> date:
    year, _, month = period.partition("-")
    if not month:
        return date(int(year), 12, 31)
    following = date(int(year) + (month == "12"), int(month) % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


@dataclass(frozen=True)
class Conversion:
    """How one mapping's cells become the metric's unit: a factor, perhaps a currency."""

    source_unit: str | None
    target_unit: str | None
    factor: float
    steps: tuple[dict[str, Any], ...]
    currency: str | None = None  # the source currency, converted per period with rates
    grades: tuple[str, ...] = ()  # letter grades, best first, read as equal steps


def conversion(source: str | None, target: str | None) -> Conversion:
    """The factor from a column's unit to a metric's; InvalidInput naming both if none."""
    source = (source or target or "").strip() or None
    if source == target or target is None:
        return Conversion(source, target, 1.0, ())
    assert source is not None
    money_from, money_to = MONEY.match(source), MONEY.match(target)
    if money_from and money_to:
        factor = PER_MONTH[money_from["period"]] / PER_MONTH[money_to["period"]]
        steps: list[dict[str, Any]] = []
        if factor != 1.0:
            step = f"{money_from['period']}→{money_to['period']}"
            steps.append({"step": step, "factor": round(factor, 6)})
        currency = None if money_from["currency"] == money_to["currency"] else money_from[1]
        if currency and money_to["currency"] != "USD":
            raise InvalidInput(f"currencies convert to USD only, not to {money_to['currency']}")
        return Conversion(source, target, factor, tuple(steps), currency)
    hours_from, hours_to = HOURS.match(source), HOURS.match(target)
    if hours_from and hours_to:
        factor = HOURS_PER[hours_from["period"]] / HOURS_PER[hours_to["period"]]
        step = f"hours/{hours_from['period']}→hours/{hours_to['period']}"
        return Conversion(source, target, factor, ({"step": step, "factor": round(factor, 6)},))
    if target == "share" and source == "percent":
        return Conversion(source, target, 0.01, ({"step": "percent→share", "factor": 0.01},))
    if target == "0-100" and (scale := SCALE.match(source)):
        factor = 100 / float(scale["top"])
        return Conversion(source, target, factor, ({"step": f"{source}→0-100", "factor": factor},))
    if target == "0-100" and (scale := GRADES.match(source)):
        letters = tuple(chr(c) for c in range(ord("A"), ord(scale["last"]) + 1))
        return Conversion(source, target, 1.0, (), grades=letters)
    if target == "0-100" and source in ("percent", "fraction"):
        factor = 1.0 if source == "percent" else 100.0
        return Conversion(source, target, factor, ({"step": f"{source}→0-100", "factor": factor},))
    raise InvalidInput(
        f"cannot convert {source!r} to the metric's unit {target!r}",
        details={"unit": source, "metric_unit": target, "known": known_units(target)},
    )


def known_units(target: str) -> Sequence[str]:
    """Units a column may be given in for a metric in ``target`` (for error messages)."""
    if MONEY.match(target):
        return [f"CUR/{p}" for p in PER_MONTH]
    if HOURS.match(target):
        return [f"hours/{p}" for p in HOURS_PER]
    if target == "share":
        return ["share", "percent"]
    if target == "0-100":
        return ["0-100", "0-N", "A-E", "percent", "fraction"]
    return [target]


def grade_points(cell: object, how: Conversion) -> tuple[float, list[dict[str, Any]]]:
    """A letter grade as points in equal steps, A = 100 down to the last grade = 0: the
    grades say only which is better, so the steps are a convention, stated with the grade."""
    letter = str(cell).strip().upper()
    if letter not in how.grades:
        raise ValueError(f"{str(cell)[:60]!r} is not a grade from {how.source_unit}")
    points = 100 * (len(how.grades) - 1 - how.grades.index(letter)) / (len(how.grades) - 1)
    return points, [{"step": f"{how.source_unit}→0-100", "grade": letter, "points": points}]


def convert(
    value: float, how: Conversion, period: str, rates: Rates | None
) -> tuple[float, list[dict[str, Any]]]:
    """The value in the metric's unit and the steps taken, with the rate and its date."""
    steps = [dict(step) for step in how.steps]
    result = value * how.factor
    if how.currency:
        rate = rates.at(how.currency, period) if rates else None
        if rate is None:
            raise ValueError(f"no exchange rate for {how.currency} in the rates dataset")
        result /= rate.per_usd
        steps.append(
            {
                "step": f"{how.currency}→USD",
                "factor": 1 / rate.per_usd,
                "rate_date": rate.day.isoformat(),
                "rates": rate.source,
            }
        )
    return result, steps
