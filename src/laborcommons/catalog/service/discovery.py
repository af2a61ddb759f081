"""Dataset search filters and facet counts, all under the one access decision.

Every query starts from ``visible_datasets_clause(reader)``: a dataset the reader may not
discover is in no result, no total and no facet count. Within a facet the chosen values
are ORed, across facets ANDed; each facet counts under every *other* filter, so its
values show what choosing one would give.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, true
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.licenses import LICENSES
from laborcommons.catalog.models import Dataset, Organization
from laborcommons.catalog.schemas import FacetCount, Facets
from laborcommons.catalog.service import search
from laborcommons.catalog.service.organizations import get_organization
from laborcommons.catalog.service.visibility import visible_datasets_clause
from laborcommons.catalog.vocabulary import ACCESS_LABELS, ARCHETYPES, DATA_TYPES
from laborcommons.core.countries import country_name, require_country_code
from laborcommons.core.errors import BadRequest

Values = str | Iterable[str] | None
LICENSE_IDS = {code.lower(): code for code in LICENSES}
YEAR = re.compile(r"[1-9][0-9]{3}")
MAX_PERIOD_YEARS = 200  # a period spanning more counts in its first 200 years only


def values_of(value: Values) -> tuple[str, ...]:
    """One value or several (repeatable query parameters), blanks dropped."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(dict.fromkeys(item.strip() for item in items if item and item.strip()))


def _known(field: str, given: tuple[str, ...], allowed: Iterable[str]) -> tuple[str, ...]:
    options = list(allowed)
    unknown = [value for value in given if value not in options]
    if unknown:
        raise BadRequest(
            f"unknown {field} {', '.join(map(repr, unknown))}; choose from {', '.join(options)}",
            details={"field": field, "unknown": unknown, "allowed": options},
        )
    return given


def _countries(given: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return tuple(dict.fromkeys(require_country_code(value) for value in given))
    except ValueError as error:
        raise BadRequest(str(error), details={"field": "country"}) from error


def _years(given: tuple[str, ...]) -> tuple[int, ...]:
    if bad := [value for value in given if not YEAR.fullmatch(value)]:
        raise BadRequest(
            f"period must be a year from 1000 to 9999 (e.g. 2024), not {', '.join(map(repr, bad))}",
            details={"field": "period", "unknown": bad},
        )
    return tuple(int(value) for value in given)


@dataclass(frozen=True)
class DatasetFilters:
    """Checked filter values: a bad one is refused (400) before any query runs."""

    data_type: tuple[str, ...] = ()
    organization: tuple[int, ...] = ()
    license: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    archetype: tuple[str, ...] = ()
    period: tuple[int, ...] = ()

    @classmethod
    def parse(cls, session: Session, **given: Values) -> DatasetFilters:
        raw = {name: values_of(value) for name, value in given.items()}
        licenses = [LICENSE_IDS.get(code.lower(), code) for code in raw.get("license", ())]
        return cls(
            data_type=_known("data_type", raw.get("data_type", ()), DATA_TYPES),
            organization=tuple(
                get_organization(slug, session=session).id for slug in raw.get("organization", ())
            ),
            license=_known("license", tuple(licenses), LICENSES),
            access=_known("access", raw.get("access", ()), ACCESS_LABELS),
            country=_countries(raw.get("country", ())),
            archetype=_known("archetype", raw.get("archetype", ()), ARCHETYPES),
            period=_years(raw.get("period", ())),
        )


def _period_clause(years: tuple[int, ...]) -> ColumnElement[bool]:
    start = func.coalesce(Dataset.period_start, Dataset.period_end)
    end = func.coalesce(Dataset.period_end, Dataset.period_start)
    return or_(*(and_(start <= date(year, 12, 31), end >= date(year, 1, 1)) for year in years))


def _conditions(
    filters: DatasetFilters, dialect: str, *, without: str | None = None
) -> list[ColumnElement[bool]]:
    clauses: dict[str, Callable[[tuple[Any, ...]], ColumnElement[bool]]] = {
        "data_type": Dataset.data_type.in_,
        "organization": Dataset.organization_id.in_,
        "license": Dataset.license.in_,
        "access": Dataset.access.in_,
        "archetype": Organization.archetype.in_,
        "period": _period_clause,
        "country": lambda codes: exists(
            select(1)
            .select_from(covered := search.coverage_codes(dialect))
            .where(covered.c.value.in_(codes))
        ),
    }
    return [
        clauses[item.name](chosen)
        for item in fields(filters)
        if item.name != without and (chosen := getattr(filters, item.name))
    ]


def matching(
    columns: Iterable[Any],
    *,
    reader: Reader,
    session: Session,
    q: str | None,
    filters: DatasetFilters,
    without: str | None = None,
) -> Select[Any]:
    """``columns`` of the datasets this reader may discover that match ``q`` and the
    filters (all but ``without``); ordered by rank when ``q`` has words."""
    dialect = session.get_bind().dialect.name
    query = (
        select(*columns)
        .select_from(Dataset)
        .join(Organization, Organization.id == Dataset.organization_id)
        .where(visible_datasets_clause(reader), *_conditions(filters, dialect, without=without))
    )
    order: list[Any] = [Dataset.updated_at.desc(), Dataset.id.desc()]
    if tokens := search.query_tokens(q):
        hits = search.hits("datasets", tokens, dialect)
        query = query.join(hits, hits.c.id == Dataset.id)
        order.insert(0, hits.c.rank.desc())
    return query.order_by(*order)


def _ranked(rows: Iterable[tuple[Any, ...]], label: Callable[[str], str]) -> list[FacetCount]:
    """Rows of (value, ..., count), most frequent first; datasets without a value skipped."""
    counts = ((str(row[0]), int(row[-1])) for row in rows if row[0] is not None)
    ordered = sorted(counts, key=lambda item: (-item[1], item[0]))
    return [FacetCount(value=value, label=label(value), count=count) for value, count in ordered]


def dataset_facets(
    *, reader: Reader, session: Session, q: str | None, filters: DatasetFilters
) -> Facets:
    """Counts per value of each facet, each under the other filters."""
    dialect = session.get_bind().dialect.name

    def grouped(facet: str, *key: Any, source: Any = None) -> list[tuple[Any, ...]]:
        query = matching(
            [*key, func.count(Dataset.id)],
            reader=reader,
            session=session,
            q=q,
            filters=filters,
            without=facet,
        ).order_by(None)
        if source is not None:
            query = query.join(source, true())
        return [tuple(row) for row in session.execute(query.group_by(*key))]

    organizations = grouped("organization", Organization.slug, Organization.name)
    org_names = {row[0]: str(row[1]) for row in organizations}
    covered = search.coverage_codes(dialect)
    facets: Facets = {
        "data_type": _ranked(
            grouped("data_type", Dataset.data_type), lambda v: DATA_TYPES.get(v, v)
        ),
        "access": _ranked(grouped("access", Dataset.access), str.capitalize),
        "license": _ranked(
            grouped("license", Dataset.license), lambda v: LICENSES[v].title if v in LICENSES else v
        ),
        "country": _ranked(grouped("country", covered.c.value, source=covered), country_name),
        "organization": _ranked(organizations, lambda v: org_names.get(v, v)),
        "archetype": _ranked(
            grouped("archetype", Organization.archetype), lambda v: ARCHETYPES.get(v, v)
        ),
        "period": _period_facet(reader=reader, session=session, q=q, filters=filters),
    }
    return facets


def _period_facet(
    *, reader: Reader, session: Session, q: str | None, filters: DatasetFilters
) -> list[FacetCount]:
    query = matching(
        [Dataset.period_start, Dataset.period_end],
        reader=reader,
        session=session,
        q=q,
        filters=filters,
        without="period",
    ).order_by(None)
    years: Counter[int] = Counter()
    for start, end in session.execute(query):
        first, last = start or end, end or start
        if first is None or last is None:
            continue
        years.update(range(first.year, min(last.year, first.year + MAX_PERIOD_YEARS - 1) + 1))
    ordered = sorted(years.items(), key=lambda item: -item[0])
    return [FacetCount(value=str(y), label=str(y), count=n) for y, n in ordered]
