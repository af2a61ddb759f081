"""encryption at rest: wrapped data keys per object

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'sealed_objects',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('wrapped_key', sa.Text(), nullable=False),
        sa.Column('key_fingerprint', sa.String(length=16), nullable=False),
        sa.Column('size_bytes', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('digest', name=op.f('pk_sealed_objects')),
    )
    with op.batch_alter_table('sealed_objects', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_sealed_objects_key_fingerprint'), ['key_fingerprint'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('sealed_objects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sealed_objects_key_fingerprint'))
    op.drop_table('sealed_objects')
