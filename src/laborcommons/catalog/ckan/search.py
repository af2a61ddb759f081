"""``package_search``: CKAN's search over the datasets this reader may discover.

CKAN answers from Solr; a node holds few enough datasets that the visible ones are loaded
once (through ``visible_datasets_clause``, the one access decision) and filtered, faceted,
sorted and paged in Python, so a hidden dataset is never matched, counted or faceted.
The Solr syntax understood is the part CKAN's clients send: words, ``field:value``,
``field:"a value"``, ``field:[X TO Y]`` (``*`` for open ends), ``+`` and ``AND`` (ignored:
terms are all required) and ``OR`` between two terms.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import READABLE_BY_ANYONE, Reader
from laborcommons.catalog.ckan.packages import (
    package_address,
    package_dict,
    package_name,
    resources,
)
from laborcommons.catalog.models import Dataset
from laborcommons.catalog.service import visible_datasets_clause
from laborcommons.core.errors import InvalidInput

MAX_ROWS = 1000
FACET_FIELDS = ("organization", "tags", "license_id", "res_format")
TERM = re.compile(r'[+]?\(?[\w.]+:(?:"[^"]*"|\[[^\]]*\]|[^\s()]+)\)?|"[^"]*"|\S+')
RANGE = re.compile(r"^\[(\S+) TO (\S+)\]$")


@dataclass
class Candidate:
    """A visible dataset with what filters, facets and sorts read from it."""

    dataset: Dataset
    formats: set[str]

    @property
    def license_id(self) -> str:
        return self.dataset.license or "notspecified"

    def text(self) -> str:
        d = self.dataset
        parts = [d.title, d.description, d.slug, d.methodology, d.organization.slug]
        parts += [d.organization.name, *d.keywords, *d.coverage]
        return " ".join(parts).lower()

    def values(self, field: str) -> set[str]:
        d = self.dataset
        by_field = {
            "organization": {d.organization.slug},
            "owner_org": {d.organization.slug},
            "tags": set(d.keywords),
            "res_format": self.formats,
            "license_id": {self.license_id},
            "name": {package_name(d)},
            "id": {package_address(d)},
            "dataset_type": {"dataset"},
            "private": {"false" if d.access in READABLE_BY_ANYONE else "true"},
        }
        return by_field[field]


def _instant(text: str, field: str) -> datetime | None:
    if text == "*":
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{field}: {text!r} is not a date (use ISO 8601, e.g. 2026-01-31T00:00:00Z, or *)",
            details={"field": "fq"},
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


Match = Callable[[Candidate], bool]


def _time_match(field: str, value: str) -> Match:
    found = RANGE.match(value)
    if not found:
        raise InvalidInput(
            f"{field} takes a range [X TO Y], e.g. {field}:[2026-01-01T00:00:00Z TO *]",
            details={"field": "fq"},
        )
    low, high = _instant(found[1], field), _instant(found[2], field)

    def match(c: Candidate) -> bool:
        moment = getattr(c.dataset, "updated_at" if field == "metadata_modified" else "created_at")
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return (low is None or moment >= low) and (high is None or moment <= high)

    return match


FIELDS = {
    "organization",
    "owner_org",
    "tags",
    "res_format",
    "license_id",
    "name",
    "id",
    "dataset_type",
    "private",
    "metadata_modified",
    "metadata_created",
}


def _term(token: str, parameter: str) -> Match:
    token = token.lstrip("+").removeprefix("(").removesuffix(")")
    field, colon, value = token.partition(":")
    if not colon or field == "text":
        words = (value if colon else token).strip('"').lower().split()
        return lambda c: all(w in c.text() for w in words)
    if field not in FIELDS:
        raise InvalidInput(
            f"{parameter}: cannot search on {field!r}; use one of {', '.join(sorted(FIELDS))}",
            details={"field": parameter},
        )
    if field in {"metadata_modified", "metadata_created"}:
        return _time_match(field, value)
    wanted = value.strip('"')
    if field == "res_format":
        return lambda c: wanted.upper() in c.values(field)
    if field == "license_id":
        return lambda c: wanted.lower() in {v.lower() for v in c.values(field)}
    return lambda c: wanted in c.values(field)


def _either(left: Match, right: Match) -> Match:
    return lambda c: left(c) or right(c)


def parse_query(text: str, parameter: str) -> list[Match]:
    """Every required term of ``q`` or ``fq``; ``a OR b`` is one term."""
    matches: list[Match] = []
    joining = False
    for token in TERM.findall(text.strip()):
        if token in {"AND", "&&", "*:*"}:
            continue
        if token in {"OR", "||"}:
            if not matches:
                raise InvalidInput(
                    f"{parameter}: OR needs a term before it", details={"field": parameter}
                )
            joining = True
            continue
        match = _term(token, parameter)
        if joining:
            matches.append(_either(matches.pop(), match))
            joining = False
        else:
            matches.append(match)
    return matches


SORT_KEYS: dict[str, Callable[[Candidate], Any]] = {
    "score": lambda c: c.dataset.updated_at,
    "metadata_modified": lambda c: c.dataset.updated_at,
    "metadata_created": lambda c: c.dataset.created_at,
    "name": lambda c: package_name(c.dataset),
    "id": lambda c: package_address(c.dataset),
    "title_string": lambda c: c.dataset.title.lower(),
}


def sort_candidates(candidates: list[Candidate], sort: str) -> list[Candidate]:
    """CKAN's ``sort``: ``field asc|desc``, comma-separated; a stable sort per key, last first."""
    keys = []
    for part in sort.split(","):
        field, _, direction = part.strip().partition(" ")
        direction = direction.strip() or "asc"
        if field not in SORT_KEYS or direction not in {"asc", "desc"}:
            raise InvalidInput(
                f"sort: cannot sort by {part.strip()!r}; use a field of "
                f"{', '.join(SORT_KEYS)} with asc or desc",
                details={"field": "sort"},
            )
        keys.append((SORT_KEYS[field], direction == "desc"))
    ordered = sorted(candidates, key=lambda c: package_address(c.dataset))
    for key, descending in reversed(keys):
        ordered.sort(key=key, reverse=descending)
    return ordered


def facets(
    candidates: list[Candidate], fields: list[str], *, limit: int, mincount: int
) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    """``facets`` and ``search_facets`` over the matched datasets only."""
    plain: dict[str, dict[str, int]] = {}
    shaped: dict[str, Any] = {}
    for field in fields:
        if field not in FACET_FIELDS:
            raise InvalidInput(
                f"facet.field: cannot facet on {field!r}; use {', '.join(FACET_FIELDS)}",
                details={"field": "facet.field"},
            )
        counts = Counter(v for c in candidates for v in c.values(field))
        titles = {c.dataset.organization.slug: c.dataset.organization.name for c in candidates}
        ranked = [
            (v, n) for v, n in sorted(counts.items(), key=lambda i: (-i[1], i[0])) if n >= mincount
        ]
        ranked = ranked if limit < 0 else ranked[:limit]
        plain[field] = dict(ranked)
        items = [
            {
                "name": v,
                "display_name": titles.get(v, v) if field == "organization" else v,
                "count": n,
            }
            for v, n in ranked
        ]
        shaped[field] = {"title": field, "items": items}
    return plain, shaped


@dataclass
class SearchQuery:
    q: str = ""
    fq: str = ""
    rows: int = 10
    start: int = 0
    sort: str = ""
    facet_fields: tuple[str, ...] = ()
    facet_limit: int = 50
    facet_mincount: int = 1
    include_private: bool = True


def package_search(
    query: SearchQuery, *, reader: Reader, session: Session, base_url: str
) -> dict[str, Any]:
    """CKAN's ``package_search`` result for this reader; counts and facets see only the
    datasets the reader may discover."""
    if not 0 <= query.rows <= MAX_ROWS:
        raise InvalidInput(f"rows must be between 0 and {MAX_ROWS}", details={"field": "rows"})
    if query.start < 0:
        raise InvalidInput("start must be 0 or more", details={"field": "start"})
    matches = parse_query(query.q, "q") + parse_query(query.fq, "fq")
    visible = session.scalars(select(Dataset).where(visible_datasets_clause(reader))).all()
    needs_formats = "res_format" in f"{query.q} {query.fq} {' '.join(query.facet_fields)}"
    candidates = []
    for dataset in visible:
        if not query.include_private and dataset.access not in READABLE_BY_ANYONE:
            continue
        found = (
            resources(dataset, reader=reader, session=session, base_url=base_url)
            if needs_formats
            else []
        )
        candidate = Candidate(dataset, {r["format"] for r in found})
        if all(match(candidate) for match in matches):
            candidates.append(candidate)
    sort = query.sort or (
        "score desc, metadata_modified desc" if query.q else "metadata_modified desc"
    )
    ordered = sort_candidates(candidates, sort)
    plain, shaped = facets(
        candidates, list(query.facet_fields), limit=query.facet_limit, mincount=query.facet_mincount
    )
    page = ordered[query.start : query.start + query.rows]
    return {
        "count": len(candidates),
        "sort": sort,
        "results": [
            package_dict(c.dataset, reader=reader, session=session, base_url=base_url) for c in page
        ],
        "facets": plain,
        "search_facets": shaped,
    }


def package_list(*, reader: Reader, session: Session, limit: int | None, offset: int) -> list[str]:
    """``package_list``: the names of the datasets this reader may discover, sorted."""
    visible = session.scalars(select(Dataset).where(visible_datasets_clause(reader))).all()
    names = sorted(package_name(d) for d in visible)
    return names[offset : None if limit is None else offset + limit]
