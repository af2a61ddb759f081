"""How to cite one version: the dataset's citation, or one built from its metadata."""

from __future__ import annotations

from laborcommons.catalog.models import DatasetVersion


def citation_of(version: DatasetVersion) -> str:
    """The dataset's own citation (or one built from its metadata), with the DOI if minted."""
    dataset = version.dataset
    text = dataset.citation.strip() or (
        f"{dataset.organization.name} ({version.created_at.year}). {dataset.title} "
        f"(version {version.number})."
    )
    return f"{text} https://doi.org/{version.doi}" if version.doi else text
