"""privacy: PII findings, pseudonym domains, version lineage

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('pii_findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('column', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.Column('examples', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.Column('justification', sa.Text(), nullable=True),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('resolved_by', sa.String(length=320), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resulting_version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['dataset_versions.id'], name=op.f('fk_pii_findings_version_id_dataset_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resulting_version_id'], ['dataset_versions.id'], name=op.f('fk_pii_findings_resulting_version_id_dataset_versions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pii_findings')),
    sa.UniqueConstraint('version_id', 'column', 'kind', name=op.f('uq_pii_findings_version_id_column_kind'))
    )
    with op.batch_alter_table('pii_findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pii_findings_version_id'), ['version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pii_findings_status'), ['status'], unique=False)

    op.create_table('pseudonym_domains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('wrapped_key', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_pseudonym_domains_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pseudonym_domains')),
    sa.UniqueConstraint('organization_id', 'name', name=op.f('uq_pseudonym_domains_organization_id_name'))
    )
    with op.batch_alter_table('pseudonym_domains', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pseudonym_domains_organization_id'), ['organization_id'], unique=False)

    with op.batch_alter_table('dataset_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('derived_from_version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('derivation', sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_dataset_versions_derived_from_version_id_dataset_versions'),
            'dataset_versions', ['derived_from_version_id'], ['id'], ondelete='SET NULL',
        )


def downgrade() -> None:
    with op.batch_alter_table('dataset_versions', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_dataset_versions_derived_from_version_id_dataset_versions'),
            type_='foreignkey',
        )
        batch_op.drop_column('derivation')
        batch_op.drop_column('derived_from_version_id')
    with op.batch_alter_table('pseudonym_domains', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pseudonym_domains_organization_id'))
    op.drop_table('pseudonym_domains')
    with op.batch_alter_table('pii_findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pii_findings_status'))
        batch_op.drop_index(batch_op.f('ix_pii_findings_version_id'))
    op.drop_table('pii_findings')
