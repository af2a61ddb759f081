"""Shapes every domain shares: strict request bodies and the one slug rule."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

SLUG = r"^[a-z0-9][a-z0-9-]{0,98}[a-z0-9]$"
"""Organizations, datasets and groups: 2 to 100 lowercase letters, digits and inner hyphens."""

Slug = Annotated[str, Field(pattern=SLUG, description="lowercase letters, digits, hyphens")]


class StrictInput(BaseModel):
    """Base of every request body: an unknown field is refused (422 naming it), never ignored.

    A misspelt field (``expires`` for ``expires_at``, ``acces`` for ``access``) would otherwise
    be dropped silently and the request would succeed without doing what was asked.
    """

    model_config = ConfigDict(extra="forbid")


def suggest_slug(text: str) -> str:
    """A slug suggested from a title: accents folded, other characters become hyphens.

    May still break ``SLUG`` (a title of one letter, or none in Latin script): the schema
    that receives it says so, as it would for a typed one.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:100].strip("-")
