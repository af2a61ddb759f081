"""The identifier crosswalk: (scheme, value) pairs, one entity per value and scheme.

Known schemes are checked (LEI and ISIN check digits via python-stdnum, Open Supply Hub
OS IDs with their check character, the shapes of WikiRate and OpenCorporates IDs); a node
may use its own schemes
(``reg:GB``-style national registers, or any lower-case name), which are only trimmed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum import isin, lei
from stdnum.exceptions import ValidationError

from laborcommons.access import Reader
from laborcommons.core.errors import Conflict, InvalidInput, NotFound
from laborcommons.entities.models import Entity, EntityIdentifier
from laborcommons.entities.service.history import record_event
from laborcommons.entities.service.lookup import canonical_entity

SCHEME_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,29}(:[A-Za-z0-9_.-]{1,29})?$")
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32 (no I, L, O, U): the alphabet of an OS ID's random part and check."""
OS_ID = re.compile(rf"^[A-Z]{{2}}[0-9]{{7}}[{CROCKFORD}]{{6}}$")
OPENCORPORATES = re.compile(r"^[a-z]{2}(_[a-z]{2})?/[A-Za-z0-9_.\-]+$")


def os_id_check(body: str) -> str:
    """The check character of an OS ID's first 14 characters, as Open Supply Hub computes
    it: the code points of the two country letters plus the base-32 values of the rest,
    modulo 32 (``CN2019303BQ3FZ`` → ``P``)."""
    total = ord(body[0]) + ord(body[1]) + sum(CROCKFORD.index(c) for c in body[2:14])
    return CROCKFORD[total % 32]


def _os_id(value: str) -> str:
    """Upper case without the spaces and hyphens people write in (``CN 2019303 BQ3FZ P``)."""
    text = re.sub(r"[\s-]+", "", value).upper()
    if not OS_ID.match(text):
        raise ValueError(
            "an OS ID is 2 country letters, 7 digits and 6 base-32 characters "
            "(digits and letters other than I, L, O, U), e.g. CN2019303BQ3FZP"
        )
    expected = os_id_check(text)
    if text[14] != expected:
        raise ValueError(f"wrong check character {text[14]!r} (expected {expected!r})")
    return text


def _stdnum(module: object) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            return str(module.validate(value))  # type: ignore[attr-defined]
        except ValidationError as error:
            raise ValueError(str(error)) from None

    return check


def _wikirate(value: str) -> str:
    text = value.strip().lstrip("~")
    if not text.isdigit():
        raise ValueError("a WikiRate company ID is a number")
    return text


def _opencorporates(value: str) -> str:
    text = value.strip().removeprefix("https://opencorporates.com/companies/")
    if not OPENCORPORATES.match(text):
        raise ValueError("an OpenCorporates ID is jurisdiction/number, e.g. gb/01234567")
    return text


SCHEMES: dict[str, Callable[[str], str]] = {
    "os_id": _os_id,
    "lei": _stdnum(lei),
    "isin": _stdnum(isin),
    "wikirate": _wikirate,
    "opencorporates": _opencorporates,
}


def canonical_scheme(scheme: str) -> str:
    """Known schemes in lower case; ``reg:GB``-style national registers keep their suffix."""
    prefix, colon, suffix = scheme.strip().partition(":")
    name = prefix.lower() + colon + suffix.upper()
    if not SCHEME_NAME.match(name):
        raise InvalidInput(
            f"identifier scheme {scheme!r} is not a valid scheme name "
            "(lower-case letters, digits, '_', '.', '-', optionally ':' and a suffix)",
            details={"scheme": scheme, "known": sorted(SCHEMES)},
        )
    return name


def canonical_identifier(scheme: str, value: str) -> tuple[str, str]:
    """The scheme and value as stored; InvalidInput says which part is wrong and why."""
    name = canonical_scheme(scheme)
    check = SCHEMES.get(name)
    try:
        text = check(value) if check else value.strip()
    except ValueError as error:
        raise InvalidInput(
            f"{value!r} is not a valid {name} identifier: {error}",
            details={"scheme": name, "value": value},
        ) from None
    if not text:
        raise InvalidInput(f"empty {name} identifier", details={"scheme": name})
    return name, text


def find_identifier(scheme: str, value: str, *, session: Session) -> EntityIdentifier | None:
    name, text = canonical_identifier(scheme, value)
    query = select(EntityIdentifier).where(
        EntityIdentifier.scheme == name, EntityIdentifier.value == text
    )
    return session.scalars(query).first()


def entity_by_identifier(scheme: str, value: str, *, session: Session) -> Entity:
    """The entity holding this identifier (following merges); NotFound when none does."""
    found = find_identifier(scheme, value, session=session)
    if found is None:
        raise NotFound(f"no entity has {scheme} identifier {value!r}")
    return canonical_entity(session.get_one(Entity, found.entity_id), session=session)


def add_identifier(
    entity: Entity,
    scheme: str,
    value: str,
    *,
    actor: Reader,
    session: Session,
    source_version_id: int | None = None,
) -> EntityIdentifier:
    """Attach an identifier; one already held by another entity is a Conflict that does not
    name the holder (it may be an entity the actor cannot see)."""
    name, text = canonical_identifier(scheme, value)
    existing = find_identifier(name, text, session=session)
    if existing is not None:
        if existing.entity_id == entity.id:
            return existing
        # The holder may be hidden from this actor: the answer never names it.
        raise Conflict(
            f"{name} identifier {text!r} is already held by another entity",
            details={"scheme": name, "value": text},
        )
    row = EntityIdentifier(
        entity_id=entity.id, scheme=name, value=text, source_version_id=source_version_id
    )
    session.add(row)
    record_event(
        entity,
        "identifier_added",
        actor=actor,
        session=session,
        evidence={"scheme": name, "value": text, "source_version_id": source_version_id},
    )
    return row
