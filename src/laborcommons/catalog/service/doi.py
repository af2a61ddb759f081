"""A version's DOI, minted elsewhere (DataCite) and recorded here; shown by ``citation``."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.service.datasets import require_edit
from laborcommons.catalog.service.versions import get_version
from laborcommons.core.errors import InvalidInput

DOI = re.compile(r"10\.[0-9]{4,9}/[^\s]{1,180}")  # a DOI name, without https://doi.org/


def set_doi(
    slug: str, number: int, doi: str | None, *, reader: Reader, session: Session
) -> DatasetVersion:
    """Record (or clear, with None) the DOI minted for one version; owners and editors only."""
    version = get_version(slug, number, reader=reader, session=session)
    require_edit(reader, version.dataset)
    if doi is not None:
        doi = doi.strip().removeprefix("https://doi.org/").removeprefix("doi:")
        if not DOI.fullmatch(doi):
            raise InvalidInput(
                f"{doi!r} is not a DOI (10.<registrant>/<suffix>, e.g. 10.5281/zenodo.123)",
                details={"field": "doi"},
            )
    version.doi = doi
    session.flush()
    return version
