"""The reconciliation service's helpers for people: entity, type and property suggest
(auto-complete in OpenRefine's dialogs) and the HTML preview card, for the asking reader."""

from __future__ import annotations

import html
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.core import stable_id
from laborcommons.core.errors import InvalidInput, NotFound
from laborcommons.entities.matching import normalize_name
from laborcommons.entities.models import Entity, EntityIdentifier
from laborcommons.entities.reconcile import (
    PROPERTIES,
    TYPES,
    Criteria,
    describe,
    name_pool,
    similarity,
)
from laborcommons.entities.service.evidence_reads import record_evidence_read
from laborcommons.entities.service.lookup import canonical_entity
from laborcommons.entities.service.text import searchable
from laborcommons.entities.service.visibility import require_visible, shown


def suggest_entities(
    prefix: str, *, kind: str | None = None, cursor: int = 0, reader: Reader, session: Session
) -> dict[str, Any]:
    """Entities whose name (or transliteration) starts a word with ``prefix``."""
    if kind is not None and kind not in TYPES:
        raise InvalidInput(f"type: unknown type {kind!r}; use one of {', '.join(TYPES)}")
    criteria = Criteria(kinds=[kind] if kind else list(TYPES), name=prefix)
    needle = normalize_name(prefix)
    pool = name_pool(criteria, reader=reader, session=session) if needle else []
    views = {e.id: shown(e, reader=reader, session=session) for e in pool}
    ranked = sorted(
        pool, key=lambda e: (-similarity(needle, normalize_name(views[e.id].name)), e.lcid)
    )[cursor : cursor + 10]
    record_evidence_read(
        [views[e.id].sight for e in ranked],
        reader=reader,
        action="reconcile.suggest",
        session=session,
    )
    return {
        "result": [
            {
                "id": e.lcid,
                "name": views[e.id].name,
                "description": describe(e, views[e.id]),
                "notable": [{"id": e.kind, "name": TYPES[e.kind]}],
            }
            for e in ranked
        ]
    }


def suggest_types(prefix: str) -> dict[str, Any]:
    wanted = prefix.strip().lower()
    return {
        "result": [
            {"id": kind, "name": label}
            for kind, label in TYPES.items()
            if kind.startswith(wanted) or label.lower().startswith(wanted)
        ]
    }


def suggest_properties(prefix: str) -> dict[str, Any]:
    wanted = prefix.strip().lower()
    return {
        "result": [
            {"id": pid, "name": label, "description": description}
            for pid, (label, description) in PROPERTIES.items()
            if pid.startswith(wanted) or label.lower().startswith(wanted)
        ]
    }


def preview_html(lcid: str, *, base_url: str, reader: Reader, session: Session) -> str:
    """A small HTML card for OpenRefine's preview pane (an alias shows its canonical entity)."""
    entity = session.scalar(select(Entity).where(Entity.lcid == stable_id.canonical(lcid)))
    if entity is None:
        raise NotFound(f"no entity {lcid!r}")
    entity = canonical_entity(entity, session=session)
    require_visible(entity, reader=reader, session=session)
    view = shown(entity, reader=reader, session=session)
    record_evidence_read([view.sight], reader=reader, action="reconcile.preview", session=session)
    identifiers = session.scalars(
        select(EntityIdentifier)
        .where(EntityIdentifier.entity_id == entity.id)
        .order_by(EntityIdentifier.scheme, EntityIdentifier.value)
    )
    rows = [("ID", entity.lcid), ("Type", TYPES.get(entity.kind, entity.kind))]
    name_ascii = searchable(view.name) if not view.own else entity.name_ascii
    if name_ascii and name_ascii != view.name:
        rows.append(("Transliterated", name_ascii))
    rows += [
        (label, value)
        for label, value in (
            ("Address", view.address),
            ("City", view.city),
            ("Country", entity.country),
        )
        if value
    ]
    rows += [(i.scheme, i.value) for i in identifiers if view.sight.sees(i.source_version_id)]
    cells = "".join(
        f"<tr><th scope='row'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    url = f"{base_url.rstrip('/')}/entities/{entity.lcid}"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(view.name)}</title></head>"
        "<body style='font:14px sans-serif;margin:6px'>"
        f"<h1 style='font-size:16px;margin:0 0 4px'><a href='{html.escape(url)}' "
        f"target='_blank'>{html.escape(view.name)}</a></h1>"
        f"<table>{cells}</table></body></html>"
    )
