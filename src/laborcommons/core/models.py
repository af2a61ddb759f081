"""Import every domain's tables so Alembic and tests see the whole metadata."""

from __future__ import annotations

from laborcommons.core.db import Base


def all_metadata() -> object:
    # Imported here, not at module top, so core never depends on a domain at import time.
    import importlib

    for module in (
        "laborcommons.access.models",
        "laborcommons.answers.models",
        "laborcommons.catalog.models",
        "laborcommons.entities.models",
        "laborcommons.evidence.models",
        "laborcommons.harvest.models",
        "laborcommons.privacy.models",
    ):
        importlib.import_module(module)
    return Base.metadata
