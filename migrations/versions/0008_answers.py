"""safe answers: approved questions, each reader's budget per question, cached answers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "answer_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("algorithm", sa.String(length=40), nullable=False),
        sa.Column("algorithm_version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=True),
        sa.Column("breakdowns", sa.JSON(), nullable=False),
        sa.Column("bounds", sa.JSON(), nullable=True),
        sa.Column("min_subjects", sa.Integer(), nullable=False),
        sa.Column("dominance_p", sa.Float(), nullable=False),
        sa.Column("epsilon", sa.Float(), nullable=False),
        sa.Column("budget", sa.Float(), nullable=False),
        sa.Column("period_days", sa.Integer(), nullable=False),
        sa.Column("audience_kind", sa.String(length=10), nullable=False),
        sa.Column("audience_id", sa.Integer(), nullable=True),
        sa.Column("below", sa.Float(), nullable=True),
        sa.Column("below_column", sa.String(length=700), nullable=True),
        sa.Column("bins", sa.JSON(), nullable=True),
        sa.Column("quantiles", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_answer_questions_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_questions")),
        sa.UniqueConstraint("dataset_id", "name", name=op.f("uq_answer_questions_dataset_id_name")),
    )
    op.create_index(
        op.f("ix_answer_questions_dataset_id"), "answer_questions", ["dataset_id"], unique=False
    )
    op.create_index(
        op.f("ix_answer_questions_audience_kind"),
        "answer_questions",
        ["audience_kind"],
        unique=False,
    )
    op.create_table(
        "answer_ledgers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("reader_key", sa.String(length=340), nullable=False),
        sa.Column("reader_name", sa.String(length=320), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("spent", sa.Float(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["answer_questions.id"],
            name=op.f("fk_answer_ledgers_question_id_answer_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_ledgers")),
        sa.UniqueConstraint(
            "question_id", "reader_key", name=op.f("uq_answer_ledgers_question_id_reader_key")
        ),
    )
    op.create_index(
        op.f("ix_answer_ledgers_question_id"), "answer_ledgers", ["question_id"], unique=False
    )
    op.create_table(
        "answer_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("breakdown", sa.String(length=1000), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("noise", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["answer_questions.id"],
            name=op.f("fk_answer_cache_question_id_answer_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["dataset_versions.id"],
            name=op.f("fk_answer_cache_version_id_dataset_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_cache")),
        sa.UniqueConstraint(
            "question_id",
            "version_id",
            "breakdown",
            name=op.f("uq_answer_cache_question_id_version_id_breakdown"),
        ),
    )
    op.create_index(
        op.f("ix_answer_cache_question_id"), "answer_cache", ["question_id"], unique=False
    )
    op.create_index(
        op.f("ix_answer_cache_version_id"), "answer_cache", ["version_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_answer_cache_version_id"), table_name="answer_cache")
    op.drop_index(op.f("ix_answer_cache_question_id"), table_name="answer_cache")
    op.drop_table("answer_cache")
    op.drop_index(op.f("ix_answer_ledgers_question_id"), table_name="answer_ledgers")
    op.drop_table("answer_ledgers")
    op.drop_index(op.f("ix_answer_questions_audience_kind"), table_name="answer_questions")
    op.drop_index(op.f("ix_answer_questions_dataset_id"), table_name="answer_questions")
    op.drop_table("answer_questions")
