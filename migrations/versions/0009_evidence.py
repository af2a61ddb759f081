"""evidence: node metrics, column mappings, answers, verifications, attachments

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_metrics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=60), nullable=True),
        sa.Column("value_type", sa.String(length=20), nullable=False),
        sa.Column("allowed", sa.JSON(), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("tolerance", sa.Float(), nullable=True),
        sa.Column("tolerance_kind", sa.String(length=10), nullable=False),
        sa.Column("qualifier", sa.String(length=60), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("designer", sa.String(length=300), nullable=False),
        sa.Column("license", sa.String(length=40), nullable=True),
        sa.Column("methodology", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_metrics")),
        sa.UniqueConstraint("key", name=op.f("uq_evidence_metrics_key")),
    )
    op.create_table(
        "evidence_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=700), nullable=False),
        sa.Column("metric_key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=60), nullable=True),
        sa.Column("period", sa.String(length=20), nullable=True),
        sa.Column("period_column", sa.String(length=700), nullable=True),
        sa.Column("qualifier", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("rates_version_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["rates_version_id"],
            ["dataset_versions.id"],
            name=op.f("fk_evidence_mappings_rates_version_id_dataset_versions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["dataset_versions.id"],
            name=op.f("fk_evidence_mappings_version_id_dataset_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_mappings")),
        sa.UniqueConstraint(
            "version_id", "column", "metric_key", "qualifier", name="uq_evidence_mappings_column"
        ),
    )
    with op.batch_alter_table("evidence_mappings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_mappings_metric_key"), ["metric_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evidence_mappings_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "evidence_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_key", sa.String(length=80), nullable=False),
        sa.Column("qualifier", sa.String(length=200), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("text_value", sa.String(length=300), nullable=True),
        sa.Column("unit", sa.String(length=60), nullable=True),
        sa.Column("original", sa.String(length=300), nullable=False),
        sa.Column("original_unit", sa.String(length=60), nullable=True),
        sa.Column("normalization", sa.JSON(), nullable=False),
        sa.Column("source_version_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("mapping_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("verification", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_evidence_answers_entity_id_entities")
        ),
        sa.ForeignKeyConstraint(
            ["mapping_id"],
            ["evidence_mappings.id"],
            name=op.f("fk_evidence_answers_mapping_id_evidence_mappings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_version_id"],
            ["dataset_versions.id"],
            name=op.f("fk_evidence_answers_source_version_id_dataset_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_answers")),
        sa.UniqueConstraint(
            "source_version_id",
            "source_row",
            "metric_key",
            "qualifier",
            name="uq_evidence_answers_source",
        ),
    )
    with op.batch_alter_table("evidence_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_answers_entity_id"), ["entity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evidence_answers_mapping_id"), ["mapping_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_evidence_answers_method"), ["method"], unique=False)
        batch_op.create_index(
            "ix_evidence_answers_metric_period", ["metric_key", "period"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evidence_answers_source_version_id"), ["source_version_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evidence_answers_verification"), ["verification"], unique=False
        )

    op.create_table(
        "evidence_verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("previous", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_evidence_verifications_actor_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["evidence_answers.id"],
            name=op.f("fk_evidence_verifications_answer_id_evidence_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_verifications")),
    )
    with op.batch_alter_table("evidence_verifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_verifications_answer_id"), ["answer_id"], unique=False
        )

    op.create_table(
        "evidence_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["evidence_answers.id"],
            name=op.f("fk_evidence_attachments_answer_id_evidence_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_attachments")),
    )
    with op.batch_alter_table("evidence_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_attachments_answer_id"), ["answer_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("evidence_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_attachments_answer_id"))
    op.drop_table("evidence_attachments")
    with op.batch_alter_table("evidence_verifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_verifications_answer_id"))

    op.drop_table("evidence_verifications")
    with op.batch_alter_table("evidence_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_answers_verification"))
        batch_op.drop_index(batch_op.f("ix_evidence_answers_source_version_id"))
        batch_op.drop_index("ix_evidence_answers_metric_period")
        batch_op.drop_index(batch_op.f("ix_evidence_answers_method"))
        batch_op.drop_index(batch_op.f("ix_evidence_answers_mapping_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_answers_entity_id"))

    op.drop_table("evidence_answers")
    with op.batch_alter_table("evidence_mappings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_mappings_version_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_mappings_metric_key"))

    op.drop_table("evidence_mappings")
    op.drop_table("evidence_metrics")
