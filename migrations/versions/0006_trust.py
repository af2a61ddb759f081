"""trust hardening: version numbering, sessions, throttling, audit key, grants, entities

Each part of the trust issue owns one function below, so the chain stays linear.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _crash_safety_up()
    _audit_up()
    _sessions_up()
    _grants_up()
    _entities_up()
    _metadata_up()


def downgrade() -> None:
    _metadata_down()
    _entities_down()
    _grants_down()
    _sessions_down()
    _audit_down()
    _crash_safety_down()


# --- crash safety and concurrency (version numbers, objects) -----------------------------
_CONTENT_TWINS = (
    "SELECT dataset_id, sha256, COALESCE(sheet, '') FROM dataset_versions"
    " GROUP BY dataset_id, sha256, COALESCE(sheet, '') HAVING COUNT(*) > 1"
)


def _crash_safety_up() -> None:
    """Identical content (and sheet) is one version per dataset, held by the database.

    (dataset_id, number) is unique since 0001. Twins that an earlier race let in are
    named rather than silently removed: they may carry grants and findings.
    """
    twins = op.get_bind().execute(sa.text(_CONTENT_TWINS)).all()
    if twins:
        raise RuntimeError(
            "dataset_versions holds identical uploads (dataset_id, sha256, sheet): "
            f"{[tuple(t) for t in twins]}; see docs/operations.md before upgrading"
        )
    op.create_index(
        'uq_dataset_versions_content',
        'dataset_versions',
        ['dataset_id', 'sha256', sa.text("coalesce(sheet, '')")],
        unique=True,
    )


def _crash_safety_down() -> None:
    op.drop_index('uq_dataset_versions_content', table_name='dataset_versions')


# --- audit chain (keyed chain, checkpoints, refused reads) --------------------------------
def _audit_up() -> None:
    """A keyed chain: the trail's wrapped secret, and a keyed tag on the head. Records
    written before stay plain SHA-256 (no key here); `laborcommons init` adopts them."""
    op.create_table(
        'audit_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('wrapped_key', sa.Text(), nullable=False),
        sa.Column('legacy_seq', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_key')),
    )
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tag', sa.String(length=64), nullable=True))


def _audit_down() -> None:
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.drop_column('tag')
    op.drop_table('audit_key')


# --- web sessions and sign-in throttling --------------------------------------------------
def _sessions_up() -> None:
    """Sessions name the user's generation (raised to end them all); failed sign-ins are
    counted per account and per address."""
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False)
        )
    op.create_table(
        'sign_in_throttles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=400), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_throttles')),
        sa.UniqueConstraint('key', name=op.f('uq_sign_in_throttles_key')),
    )


def _sessions_down() -> None:
    op.drop_table('sign_in_throttles')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')


# --- grants (version-limited grants) and access requests ----------------------------------
_ONE_GRANTEE_BEFORE = (
    "(CASE WHEN grantee_organization_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN grantee_user_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN group_id IS NULL THEN 0 ELSE 1 END) = 1"
)
_ONE_GRANTEE_AFTER = (
    "(CASE WHEN grantee_organization_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN grantee_user_id IS NULL AND grantee_email IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN group_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def _grants_up() -> None:
    """User grants name an e-mail (which may have no account yet); grants may be limited
    to chosen version numbers."""
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grantee_email', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('versions', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_grants_grantee_email'), ['grantee_email'])
        batch_op.drop_constraint(batch_op.f('ck_grants_one_grantee'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_grants_one_grantee'), sa.text(_ONE_GRANTEE_AFTER))
    op.execute(
        "UPDATE grants SET grantee_email = (SELECT email FROM users"
        " WHERE users.id = grants.grantee_user_id) WHERE grantee_user_id IS NOT NULL"
    )


def _grants_down() -> None:
    op.execute("DELETE FROM grants WHERE grantee_user_id IS NULL AND grantee_email IS NOT NULL")
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_grants_one_grantee'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_grants_one_grantee'), sa.text(_ONE_GRANTEE_BEFORE))
        batch_op.drop_index(batch_op.f('ix_grants_grantee_email'))
        batch_op.drop_column('versions')
        batch_op.drop_column('grantee_email')


# --- entities (review decisions scoped per organization, link-job liveness) --------------
_DECIDING_ORG = (
    "UPDATE match_decisions SET organization_id = ("
    " SELECT d.organization_id FROM review_candidates c"
    " JOIN dataset_versions v ON v.id = c.version_id JOIN datasets d ON d.id = v.dataset_id"
    " WHERE c.fingerprint = match_decisions.fingerprint"
    " AND c.entity_id = match_decisions.entity_id AND c.status <> 'open'"
    " ORDER BY c.decided_at, c.id LIMIT 1)"
)


def _entities_up() -> None:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        _scope_decisions_up()
    op.execute(_DECIDING_ORG)
    with op.batch_alter_table('link_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker_pid', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('worker_host', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def _scope_decisions_up() -> None:
    with op.batch_alter_table('match_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_match_decisions_organization_id_organizations'),
            'organizations', ['organization_id'], ['id'], ondelete='CASCADE',
        )
        batch_op.drop_constraint('uq_match_decisions_fingerprint_entity_id', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_match_decisions_organization_id_fingerprint_entity_id'),
            ['organization_id', 'fingerprint', 'entity_id'],
        )
        batch_op.create_index(
            batch_op.f('ix_match_decisions_organization_id'), ['organization_id'], unique=False
        )


def _entities_down() -> None:
    with op.batch_alter_table('link_jobs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('worker_host')
        batch_op.drop_column('worker_pid')
    op.execute("DELETE FROM match_decisions WHERE id NOT IN (SELECT MIN(id) FROM"
               " match_decisions GROUP BY fingerprint, entity_id)")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        _scope_decisions_down()


def _scope_decisions_down() -> None:
    with op.batch_alter_table('match_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_decisions_organization_id'))
        batch_op.drop_constraint(
            batch_op.f('uq_match_decisions_organization_id_fingerprint_entity_id'), type_='unique'
        )
        batch_op.create_unique_constraint(
            'uq_match_decisions_fingerprint_entity_id', ['fingerprint', 'entity_id']
        )
        batch_op.drop_constraint(
            batch_op.f('fk_match_decisions_organization_id_organizations'), type_='foreignkey'
        )
        batch_op.drop_column('organization_id')


# --- restricted metadata (column statistics) ----------------------------------------------
_PUBLIC_LEVELS = ("public", "open")
_VALUE_STATISTICS = ("min", "max", "mean")


def _metadata_up() -> None:
    """Restricted datasets keep counts and types only: erase stored min, max, mean and the
    dictionary's allowed values (values of the rows; see docs/access.md). SQLite overwrites
    the freed bytes (secure_delete), so the old values do not linger in the file."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        bind.exec_driver_sql("PRAGMA secure_delete = ON")
    datasets = sa.table(
        "datasets", sa.column("id", sa.Integer), sa.column("access", sa.String),
        sa.column("data_dictionary", sa.JSON),
    )
    versions = sa.table(
        "dataset_versions", sa.column("id", sa.Integer), sa.column("dataset_id", sa.Integer),
        sa.column("columns", sa.JSON),
    )
    restricted = sa.select(datasets.c.id).where(datasets.c.access.not_in(_PUBLIC_LEVELS))
    for row in bind.execute(
        sa.select(versions.c.id, versions.c.columns).where(versions.c.dataset_id.in_(restricted))
    ).all():
        columns = [
            {**c, "stats": {**c["stats"], **dict.fromkeys(_VALUE_STATISTICS)}}
            if isinstance(c, dict) and c.get("stats") else c
            for c in row.columns or []
        ]
        bind.execute(versions.update().where(versions.c.id == row.id).values(columns=columns))
    for row in bind.execute(
        sa.select(datasets.c.id, datasets.c.data_dictionary).where(datasets.c.id.in_(restricted))
    ).all():
        dictionary = {
            name: {**entry, "allowed_values": []} if isinstance(entry, dict) else entry
            for name, entry in (row.data_dictionary or {}).items()
        }
        bind.execute(
            datasets.update().where(datasets.c.id == row.id).values(data_dictionary=dictionary)
        )


def _metadata_down() -> None:
    """Nothing to undo: erased statistics are computed again on demand for readers."""
