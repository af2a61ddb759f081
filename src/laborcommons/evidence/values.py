"""Reading one cell as a metric's value: numbers as people write them, yes/no, categories.

A cell that cannot be read gives a reason (the mapping reports it with the row and column)
and no answer: a guess would become evidence someone relies on.
"""

from __future__ import annotations

import math
import re
from typing import Any

from laborcommons.evidence.schemas import MetricPublic

TRUE = {"yes", "y", "true", "1", "present", "oui", "sí", "si", "ja"}
FALSE = {"no", "n", "false", "0", "absent", "none", "non", "nein"}
UNKNOWN = {"", "unknown", "n/a", "na", "-", "\u2013", "not known", "not applicable", "?"}
NUMBER = re.compile(r"^[-+]?[0-9]*[.]?[0-9]+(e[-+]?[0-9]+)?$")
CURRENCY_MARKS = re.compile(r"^[A-Z]{3}\s*|\s*[A-Z]{3}$|[$€£¥₹৳₫฿]")


class Unreadable(ValueError):
    """A cell that is not a value of the metric, with why."""


def is_blank(cell: Any) -> bool:
    return (
        cell is None
        or (isinstance(cell, float) and math.isnan(cell))
        or (isinstance(cell, str) and cell.strip().lower() in UNKNOWN)
    )


def number(cell: Any) -> tuple[float, bool]:
    """A number and whether it was written as a percentage (``28%``)."""
    if isinstance(cell, bool):
        raise Unreadable("a yes/no is not a number")
    if isinstance(cell, int | float):
        return float(cell), False
    text = CURRENCY_MARKS.sub("", str(cell).strip()).strip()
    percent = text.endswith("%")
    text = text.rstrip("%").strip().replace("\u00a0", "").replace(" ", "")
    if text.count(",") and text.count("."):
        text = text.replace(",", "")  # 1,234.50
    elif text.count(",") == 1 and len(text.split(",")[1]) != 3:
        text = text.replace(",", ".")  # 12,5 (a decimal comma)
    else:
        text = text.replace(",", "")  # 12,000
    if not NUMBER.match(text.lower()):
        raise Unreadable(f"{str(cell)[:60]!r} is not a number")
    return float(text), percent


def read_value(cell: Any, metric: MetricPublic) -> float | str:
    """The cell as the metric's value type (before unit conversion)."""
    if metric.value_type == "boolean":
        text = str(cell).strip().lower()
        if text in TRUE:
            return 1.0
        if text in FALSE:
            return 0.0
        raise Unreadable(f"{str(cell)[:60]!r} is not yes or no")
    if metric.value_type == "category":
        text = str(cell).strip()
        if not metric.allowed:
            return text[:300]
        for allowed in metric.allowed:
            if text.lower() in (allowed.value.lower(), allowed.label.lower()):
                return allowed.value
        choices = ", ".join(a.value for a in metric.allowed)
        raise Unreadable(f"{text[:60]!r} is not one of {choices}")
    value, percent = number(cell)
    if percent and metric.value_type == "share":
        value /= 100
    return value


def check_range(value: float, metric: MetricPublic) -> None:
    if metric.value_type == "share" and not 0 <= value <= 1:
        raise Unreadable(f"a share is between 0 and 1 (or 0% and 100%), not {value:g}")
    if metric.value_type == "score" and not 0 <= value <= 100:
        raise Unreadable(f"a score is between 0 and 100 after conversion, not {value:g}")
    if metric.value_type == "number" and value < 0:
        raise Unreadable(f"{value:g} is negative")
