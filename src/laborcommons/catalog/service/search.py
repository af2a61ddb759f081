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

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Subquery,
    bindparam,
    event,
    func,
    select,
    text,
    true,
)
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


def _latest_columns(connection: Connection, where: ColumnElement[bool]) -> dict[int, Any]:
    """Each matching dataset's latest version's columns, in one query."""
    latest = (
        select(DatasetVersion.dataset_id, func.max(DatasetVersion.number).label("number"))
        .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
        .where(where)
        .group_by(DatasetVersion.dataset_id)
        .subquery()
    )
    rows = connection.execute(
        select(DatasetVersion.dataset_id, DatasetVersion.columns).join(
            latest,
            (latest.c.dataset_id == DatasetVersion.dataset_id)
            & (latest.c.number == DatasetVersion.number),
        )
    )
    return {dataset_id: columns for dataset_id, columns in rows}


def dataset_documents(connection: Connection, where: ColumnElement[bool]) -> dict[int, Document]:
    """The documents of the datasets ``where`` selects, keyed by dataset id."""
    rows = connection.execute(
        select(
            Dataset.id,
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
        .where(where)
    )
    columns = _latest_columns(connection, where)
    documents = {}
    for row in rows:
        names = [str(c.get("name", "")) for c in columns.get(row.id) or [] if isinstance(c, dict)]
        described = [  # allowed values stay out: they are row values
            f"{name} {entry.get('description', '')} {entry.get('unit', '')}"
            for name, entry in (row.data_dictionary or {}).items()
            if isinstance(entry, dict)
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
        documents[row.id] = Document(
            title=f"{row.title} {row.slug}", tags=" ".join(tags), body=" ".join(map(str, body))
        )
    return documents


def organization_documents(
    connection: Connection, where: ColumnElement[bool]
) -> dict[int, Document]:
    rows = connection.execute(
        select(
            Organization.id,
            Organization.slug,
            Organization.name,
            Organization.archetype,
            Organization.countries,
            Organization.data_types,
            Organization.tools,
            Organization.formats,
            Organization.public_summary,
        ).where(where)
    )
    documents = {}
    for org in rows:
        lists = [*(org.data_types or []), *(org.tools or []), *(org.formats or [])]
        tags = [org.archetype, *_countries_text(list(org.countries or [])), *map(str, lists)]
        documents[org.id] = Document(
            title=f"{org.name} {org.slug}", tags=" ".join(tags), body=org.public_summary or ""
        )
    return documents


def _write(
    connection: Connection, kind: Kind, keys: list[int], documents: dict[int, Document]
) -> None:
    """Replace the documents of ``keys`` (those missing from ``documents`` are dropped)."""
    table, column = TABLES[kind]
    key = column if connection.dialect.name == "postgresql" else "rowid"
    if keys:
        connection.execute(
            text(f"DELETE FROM {table} WHERE {key} IN :keys").bindparams(
                bindparam("keys", expanding=True)
            ),
            {"keys": keys},
        )
    if not documents:
        return
    if connection.dialect.name == "postgresql":
        insert = (
            f"INSERT INTO {table} ({column}, document) VALUES (:key, "
            "setweight(to_tsvector('simple', :title), 'A') || "
            "setweight(to_tsvector('simple', :tags), 'B') || "
            "setweight(to_tsvector('simple', :body), 'D'))"
        )
    else:
        insert = (
            f"INSERT INTO {table} (rowid, title, tags, body) VALUES (:key, :title, :tags, :body)"
        )
    connection.execute(text(insert), [{"key": k, **_folded(d)} for k, d in documents.items()])


def _folded(document: Document) -> dict[str, str]:
    return {"title": fold(document.title), "tags": fold(document.tags), "body": fold(document.body)}


def write_dataset_documents(connection: Connection, where: ColumnElement[bool]) -> int:
    """Rewrite the documents of the datasets ``where`` selects; how many were written."""
    documents = dataset_documents(connection, where)
    _write(connection, "datasets", list(documents), documents)
    return len(documents)


def write_organization_document(connection: Connection, organization_id: int) -> None:
    documents = organization_documents(connection, Organization.id == organization_id)
    _write(connection, "organizations", [organization_id], documents)
    # the datasets' documents carry the organization's name
    write_dataset_documents(connection, Dataset.organization_id == organization_id)


def rebuild_search_index(connection: Connection) -> tuple[int, int]:
    """Write every document afresh; (datasets, organizations) indexed."""
    for table, _column in TABLES.values():
        connection.execute(text(f"DELETE FROM {table}"))
    organizations = organization_documents(connection, true())
    _write(connection, "organizations", [], organizations)
    return write_dataset_documents(connection, true()), len(organizations)


def reindex(*, session: Session) -> tuple[int, int]:
    """Rebuild the search index in this transaction: (datasets, organizations) indexed."""
    return rebuild_search_index(session.connection())


@event.listens_for(Dataset, "after_insert")
@event.listens_for(Dataset, "after_update")
def _dataset_changed(_mapper: Mapper[Any], connection: Connection, target: Dataset) -> None:
    write_dataset_documents(connection, Dataset.id == target.id)


@event.listens_for(Dataset, "after_delete")
def _dataset_deleted(_mapper: Mapper[Any], connection: Connection, target: Dataset) -> None:
    _write(connection, "datasets", [target.id], {})


@event.listens_for(DatasetVersion, "after_insert")
@event.listens_for(DatasetVersion, "after_update")
def _version_changed(_mapper: Mapper[Any], connection: Connection, target: DatasetVersion) -> None:
    write_dataset_documents(connection, Dataset.id == target.dataset_id)


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
