"""Full-text search: one document per dataset and per organization, and the query syntax.

SQLite keeps the documents in FTS5 tables, PostgreSQL in tsvector side tables with GIN
indexes (migration 0011); this module is the only place that knows the difference. The
ORM events at the bottom rewrite a document in the same flush as the change it reflects
(metadata, a new version's columns, the organization's name), so search never lags.

Only metadata that every discoverer sees goes in: column names and dictionary
descriptions, never allowed values or statistics (they come from the rows).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Float, Integer, Subquery, event, func, select, text
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.sql.selectable import TableValuedAlias

from laborcommons.catalog.models import Dataset, DatasetVersion, Organization
from laborcommons.core.countries import country_names

Kind = Literal["datasets", "organizations"]
TABLES: dict[Kind, tuple[str, str]] = {  # side table, its key column on PostgreSQL
    "datasets": ("dataset_search", "dataset_id"),
    "organizations": ("organization_search", "organization_id"),
}
SQLITE_TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
BM25_WEIGHTS = "10.0, 4.0, 1.0"  # title, tags, body


@dataclass(frozen=True)
class Document:
    """What a search matches, in three weighted parts (title > tags > body)."""

    title: str
    tags: str
    body: str


def fold(value: str) -> str:
    """Lower case, Latin letters without accents (``Việt`` -> ``viet``), other scripts
    untouched: their marks are letters' parts, not accents."""
    out: list[str] = []
    for char in value.lower():
        decomposed = unicodedata.normalize("NFKD", char)
        if decomposed and decomposed[0] < "\u0250":
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
        else:
            out.append(char)
    return "".join(out)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def query_tokens(q: str | None) -> list[str]:
    """The words of a query; every other character separates them, so no input can form
    FTS syntax (quotes, ``*``, parentheses, ``NEAR``, ``OR`` are plain text or words)."""
    folded = "".join(c if _is_word_char(c) else " " for c in fold(q or ""))
    return folded.split()


def match_expression(tokens: list[str], dialect: str) -> str:
    """All words (ANDed), the last one as a prefix: ``"wage" "bang"*`` or ``'wage' & 'bang':*``."""
    if dialect == "postgresql":
        return " & ".join(f"'{t}'" for t in tokens) + ":*"
    return " ".join(f'"{t}"' for t in tokens) + "*"


def hits(kind: Kind, tokens: list[str], dialect: str) -> Subquery:
    """Ids matching every token with a rank (higher is better), as a subquery to join."""
    table, key = TABLES[kind]
    if dialect == "postgresql":
        sql = (
            f"SELECT {key} AS id, ts_rank(document, to_tsquery('simple', :match)) AS rank "
            f"FROM {table} WHERE document @@ to_tsquery('simple', :match)"
        )
    else:
        sql = (
            f"SELECT rowid AS id, -bm25({table}, {BM25_WEIGHTS}) AS rank "
            f"FROM {table} WHERE {table} MATCH :match"
        )
    statement = text(sql).bindparams(match=match_expression(tokens, dialect))
    return statement.columns(id=Integer, rank=Float).subquery(f"{kind}_hits")


def _countries_text(codes: list[Any]) -> list[str]:
    return [part for code in codes for part in (str(code), *country_names(str(code)))]


def dataset_document(connection: Connection, dataset_id: int) -> Document | None:
    row = connection.execute(
        select(
            Dataset.slug,
            Dataset.title,
            Dataset.description,
            Dataset.methodology,
            Dataset.sample_description,
            Dataset.unit_of_observation,
            Dataset.source,
            Dataset.data_type,
            Dataset.coverage,
            Dataset.keywords,
            Dataset.data_dictionary,
            Organization.slug.label("organization_slug"),
            Organization.name.label("organization_name"),
        )
        .join(Organization, Organization.id == Dataset.organization_id)
        .where(Dataset.id == dataset_id)
    ).one_or_none()
    if row is None:
        return None
    columns = connection.execute(
        select(DatasetVersion.columns)
        .where(DatasetVersion.dataset_id == dataset_id)
        .order_by(DatasetVersion.number.desc())
        .limit(1)
    ).scalar()
    names = [str(c.get("name", "")) for c in columns or [] if isinstance(c, dict)]
    entries = row.data_dictionary or {}
    described = [
        f"{name} {entry.get('description', '')} {entry.get('unit', '')}"
        for name, entry in entries.items()
        if isinstance(entry, dict)  # allowed values stay out: they are row values
    ]
    tags = [
        *map(str, row.keywords or []),
        *_countries_text(row.coverage or []),
        row.organization_name,
        row.organization_slug,
        row.data_type,
    ]
    body = [
        row.description,
        row.methodology,
        row.sample_description,
        row.unit_of_observation,
        row.source,
        *names,
        *described,
    ]
    return Document(
        title=f"{row.title} {row.slug}", tags=" ".join(tags), body=" ".join(map(str, body))
    )


def organization_document(connection: Connection, organization_id: int) -> Document | None:
    org = connection.execute(
        select(
            Organization.slug,
            Organization.name,
            Organization.archetype,
            Organization.countries,
            Organization.data_types,
            Organization.tools,
            Organization.formats,
            Organization.public_summary,
        ).where(Organization.id == organization_id)
    ).one_or_none()
    if org is None:
        return None
    lists = [*(org.data_types or []), *(org.tools or []), *(org.formats or [])]
    tags = [org.archetype, *_countries_text(list(org.countries or [])), *map(str, lists)]
    return Document(
        title=f"{org.name} {org.slug}", tags=" ".join(tags), body=org.public_summary or ""
    )


def _write(connection: Connection, kind: Kind, key: int, document: Document | None) -> None:
    table, column = TABLES[kind]
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"DELETE FROM {table} WHERE {column} = :key"), {"key": key})
        if document is not None:
            connection.execute(
                text(
                    f"INSERT INTO {table} ({column}, document) VALUES (:key, "
                    "setweight(to_tsvector('simple', :title), 'A') || "
                    "setweight(to_tsvector('simple', :tags), 'B') || "
                    "setweight(to_tsvector('simple', :body), 'D'))"
                ),
                {"key": key, **_folded(document)},
            )
        return
    connection.execute(text(f"DELETE FROM {table} WHERE rowid = :key"), {"key": key})
    if document is not None:
        connection.execute(
            text(
                f"INSERT INTO {table} (rowid, title, tags, body) "
                "VALUES (:key, :title, :tags, :body)"
            ),
            {"key": key, **_folded(document)},
        )


def _folded(document: Document) -> dict[str, str]:
    return {"title": fold(document.title), "tags": fold(document.tags), "body": fold(document.body)}


def write_dataset_document(connection: Connection, dataset_id: int) -> None:
    _write(connection, "datasets", dataset_id, dataset_document(connection, dataset_id))


def write_organization_document(connection: Connection, organization_id: int) -> None:
    document = organization_document(connection, organization_id)
    _write(connection, "organizations", organization_id, document)
    held = connection.scalars(select(Dataset.id).where(Dataset.organization_id == organization_id))
    for dataset_id in list(held):  # their documents carry the organization's name
        write_dataset_document(connection, dataset_id)


def rebuild_search_index(connection: Connection) -> tuple[int, int]:
    """Write every document afresh; (datasets, organizations) indexed."""
    for table, _column in TABLES.values():
        connection.execute(text(f"DELETE FROM {table}"))
    organizations = list(connection.scalars(select(Organization.id)))
    datasets = list(connection.scalars(select(Dataset.id)))
    for organization_id in organizations:
        _write(
            connection,
            "organizations",
            organization_id,
            organization_document(connection, organization_id),
        )
    for dataset_id in datasets:
        write_dataset_document(connection, dataset_id)
    return len(datasets), len(organizations)


def reindex(*, session: Session) -> tuple[int, int]:
    """Rebuild the search index in this transaction: (datasets, organizations) indexed."""
    return rebuild_search_index(session.connection())


@event.listens_for(Dataset, "after_insert")
@event.listens_for(Dataset, "after_update")
def _dataset_changed(_mapper: Mapper[Any], connection: Connection, target: Dataset) -> None:
    write_dataset_document(connection, target.id)


@event.listens_for(Dataset, "after_delete")
def _dataset_deleted(_mapper: Mapper[Any], connection: Connection, target: Dataset) -> None:
    _write(connection, "datasets", target.id, None)


@event.listens_for(DatasetVersion, "after_insert")
@event.listens_for(DatasetVersion, "after_update")
def _version_changed(_mapper: Mapper[Any], connection: Connection, target: DatasetVersion) -> None:
    write_dataset_document(connection, target.dataset_id)


@event.listens_for(Organization, "after_insert")
@event.listens_for(Organization, "after_update")
def _organization_changed(
    _mapper: Mapper[Any], connection: Connection, target: Organization
) -> None:
    write_organization_document(connection, target.id)


def coverage_codes(dialect: str) -> TableValuedAlias:
    """The country codes of ``datasets.coverage`` as rows (a JSON array on both databases)."""
    elements = func.json_array_elements_text if dialect == "postgresql" else func.json_each
    return elements(Dataset.coverage).table_valued("value")
