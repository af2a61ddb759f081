"""version doi and primary key: a minted DOI per version, the declared Table Schema key

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Adding nullable columns needs no table copy on SQLite (batch mode "auto" uses ALTER).
    with op.batch_alter_table("dataset_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("doi", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("primary_key", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Not batch mode: on SQLite it would copy the table and lose the expression index
    # uq_dataset_versions_content; ALTER TABLE ... DROP COLUMN needs SQLite 3.35 or newer.
    op.drop_column("dataset_versions", "primary_key")
    op.drop_column("dataset_versions", "doi")
