"""Run Alembic migrations programmatically, so ``init`` and the tests share one path."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(database_url: str) -> None:
    """Create or upgrade the schema to the newest revision (idempotent)."""
    command.upgrade(alembic_config(database_url), "head")


def is_initialized(database_url: str) -> bool:
    """Whether ``laborcommons init`` has run against this database."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        return inspect(engine).has_table("alembic_version")
    except OperationalError:
        return False
    finally:
        engine.dispose()
