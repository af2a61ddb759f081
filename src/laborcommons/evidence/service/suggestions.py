"""Suggested column-to-metric mappings, from the headers, the units they name and the
values' profile (the ingest's column types). Only suggestions: an editor confirms each.

The score is plain arithmetic a reader can follow: the longest metric keyword found in the
header (as whole words) gives 0.5 + 0.1 per word, a profile that fits the metric's type
0.3, and a unit read off the header 0.1; suggestions under 0.5 are dropped.
"""

from __future__ import annotations

import re

from laborcommons.catalog.models import DatasetVersion
from laborcommons.evidence.schemas import MappingSuggestionOut, MetricPublic

NUMERIC_TYPES = {"integer", "number"}
CURRENCY = re.compile(r"\b(USD|EUR|GBP|IDR|BDT|KHR|INR|PKR|TRY|VND|CNY|MMK|LKR|ETB|MXN)\b")
PER = re.compile(r"\b(per |/ ?)?(hour|day|week|month|year)(ly)?\b")
WORD = re.compile(r"[a-z0-9%]+")


def _words(text: str) -> str:
    return " " + " ".join(WORD.findall(text.lower().replace("_", " "))) + " "


def header_unit(header: str, metric: MetricPublic) -> str | None:
    """A unit the header names (``wage (IDR, weekly)`` → ``IDR/week``), if it fits."""
    if not metric.unit:
        return None
    header = header.replace("_", " ").replace("-", " ")
    words = header.lower()
    if metric.unit.endswith("/month") and metric.unit != "hours/month":
        currency = CURRENCY.search(header.upper())
        per = PER.search(words)
        if currency or per:
            period = per.group(2) if per else "month"
            return f"{currency.group(1) if currency else 'USD'}/{period}"
    if metric.unit.startswith("hours/") and (per := PER.search(words)):
        return f"hours/{per.group(2)}"
    if metric.unit == "share" and ("%" in header or "percent" in words):
        return "percent"
    return None


def _fits(column: dict[str, object], metric: MetricPublic) -> bool:
    kind = column.get("type")
    if metric.value_type in ("number", "share", "score"):
        return kind in NUMERIC_TYPES or (kind == "string" and metric.value_type == "share")
    if metric.value_type == "boolean":
        return kind == "boolean" or int(column.get("distinct_count") or 99) <= 3  # type: ignore[call-overload]
    return kind == "string"


def suggest(version: DatasetVersion, metrics: list[MetricPublic]) -> list[MappingSuggestionOut]:
    """For each column, its best metric (if any reaches 0.5), best first."""
    result: list[MappingSuggestionOut] = []
    for column in version.columns:
        header = str(column["name"])
        words = _words(header)
        best: MappingSuggestionOut | None = None
        for metric in metrics:
            found = [k for k in metric.keywords if _words(k) in words]
            if not found:
                continue
            keyword = max(found, key=len)
            score = 0.5 + 0.1 * len(keyword.split())
            reasons = [f"the header has {keyword!r}"]
            if _fits(column, metric):
                score += 0.3
                reasons.append(f"its values are {column.get('type')}")
            unit = header_unit(header, metric)
            if unit:
                score += 0.1
                reasons.append(f"the header names the unit {unit}")
            score = round(min(score, 1.0), 2)
            if best is None or score > best.score:
                best = MappingSuggestionOut(
                    column=header,
                    metric=metric.key,
                    score=score,
                    reason="; ".join(reasons),
                    unit=unit or metric.unit,
                )
        if best is not None:
            result.append(best)
    return sorted(result, key=lambda s: (-s.score, s.column))
