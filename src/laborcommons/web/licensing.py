"""A license's terms in plain words, derived from its flags so the table and badge agree."""

from __future__ import annotations

from dataclasses import dataclass, field

from laborcommons.catalog.licenses import License


@dataclass
class LicenseTerms:
    allows: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    forbids: list[str] = field(default_factory=list)


def license_terms(lic: License) -> LicenseTerms:
    """What a reader may do, must do and may not do under ``lic``."""
    terms = LicenseTerms(allows=["Copy and share the data"])
    if lic.non_commercial:
        terms.forbids.append("Commercial use")
    else:
        terms.allows.append("Commercial use")
    if lic.no_derivatives:
        terms.forbids.append("Sharing modified or combined versions")
    else:
        terms.allows.append("Modify and combine the data with other data")
    if lic.attribution:
        terms.requires.append("Credit the source")
    if lic.share_alike:
        terms.requires.append("Share adaptations under the same license")
    return terms
