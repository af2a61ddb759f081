"""What the entity page's editing forms show: the choices offered (schemes, relations for
this kind, Open Supply Hub's tiers) and the values and errors of a form sent back.

Whether the forms appear at all is the services' rule (``may_change_entity``); the services
check again when a form is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.entities.models import Entity
from laborcommons.entities.schemas import EntityPublic
from laborcommons.entities.service import RELATION_KINDS, SCHEMES, may_change_entity

OTHER_SCHEME = "other"
PREDICATE_WORDS = {
    "operated_by": "is operated by",
    "owned_by": "is owned by",
    "sources_from": "sources from",
}
INVERSE_WORDS = {"operated_by": "operates", "owned_by": "owns", "sources_from": "supplies"}
TIERS = [
    ("1", "Tier 1: final product manufacturing and assembly"),
    ("2", "Tier 2: component and material production (fabric mills, printing, dyeing)"),
    ("3", "Tier 3: raw material processing (spinning, tanning)"),
    ("4", "Tier 4: raw material extraction (farms, mines)"),
]
"""Supplier tiers in Open Supply Hub's terms."""


def relation_options(kind: str) -> list[tuple[str, str]]:
    """``predicate:side`` choices for an entity of this kind; ``subject`` means this entity
    is the relation's subject (a brand *sources from* the other), ``object`` the other way
    round (a facility *supplies* the brand that sources from it)."""
    options = []
    for predicate, (subject, obj) in RELATION_KINDS.items():
        if kind == subject:
            options.append((f"{predicate}:subject", f"{PREDICATE_WORDS[predicate]} ({obj})"))
        if kind == obj:
            options.append((f"{predicate}:object", f"{INVERSE_WORDS[predicate]} ({subject})"))
    return options


@dataclass
class SentForm:
    """A form sent back with its problems: which form, the values typed, errors by field
    (``<form>`` itself for a problem with the whole form)."""

    name: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def editing_context(
    entity: Entity,
    public: EntityPublic,
    sent: SentForm | None,
    *,
    reader: Reader,
    session: Session,
) -> dict[str, Any]:
    """The forms' context; empty of choices when the reader may not change the entity."""
    sent = sent or SentForm()
    if not may_change_entity(reader, entity, session=session):
        return {"can_change": False, "sent": sent}
    return {
        "can_change": True,
        "sent": sent,
        "errors": sent.errors,
        "SCHEME_OPTIONS": [*((s, s) for s in SCHEMES), (OTHER_SCHEME, "Another scheme")],
        "RELATION_OPTIONS": relation_options(public.kind),
        "TIERS": TIERS,
        "seen_names": sorted({public.name, *(n.name for n in public.names)}),
    }
