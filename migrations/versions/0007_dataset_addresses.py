"""dataset slugs are unique per organization, not node-wide

A node-wide unique slug told anyone creating a dataset whether a hidden dataset held that
slug. Each organization now owns its own namespace; ``organization~slug`` addresses a
dataset unambiguously and a bare slug resolves among the datasets the reader may know.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('datasets') as batch:
        batch.drop_constraint('uq_datasets_slug', type_='unique')
        batch.create_unique_constraint(
            'uq_datasets_organization_id_slug', ['organization_id', 'slug']
        )
        batch.create_index('ix_datasets_slug', ['slug'])


def downgrade() -> None:
    with op.batch_alter_table('datasets') as batch:
        batch.drop_index('ix_datasets_slug')
        batch.drop_constraint('uq_datasets_organization_id_slug', type_='unique')
        batch.create_unique_constraint('uq_datasets_slug', ['slug'])
