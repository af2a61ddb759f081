"""search: full-text documents for datasets and organizations (FTS5 / tsvector + GIN)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

The documents are built by ``catalog.service.search`` (the one place that knows what is
searchable); this migration makes the tables and fills them once. ``laborcommons datasets
reindex`` rebuilds them on demand.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {"dataset_search": "datasets", "organization_search": "organizations"}


def upgrade() -> None:
    from laborcommons.catalog.service.search import SQLITE_TOKENIZER, rebuild_search_index

    bind = op.get_bind()
    for table, parent in TABLES.items():
        if bind.dialect.name == "postgresql":
            key = parent[:-1] + "_id"
            op.execute(
                f"CREATE TABLE {table} ({key} INTEGER PRIMARY KEY "
                f"REFERENCES {parent}(id) ON DELETE CASCADE, document TSVECTOR NOT NULL)"
            )
            op.execute(f"CREATE INDEX ix_{table}_document ON {table} USING GIN (document)")
        else:
            op.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(title, tags, body, "
                f'tokenize="{SQLITE_TOKENIZER}")'
            )
    rebuild_search_index(bind)


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TABLE {table}")
