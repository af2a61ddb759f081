"""The license table (SPDX ids) and the Creative Commons chooser.

Hand-written: the SPDX list does not say what each license allows in the terms the
Creative Commons chooser uses, and the Open Definition conformance list is short.
"""

from __future__ import annotations

from pydantic import BaseModel

from laborcommons.core.schemas import StrictInput


class License(BaseModel):
    id: str
    title: str
    url: str
    attribution: bool
    share_alike: bool
    non_commercial: bool
    no_derivatives: bool
    open: bool
    summary: str


def _cc(code: str, title: str, summary: str, *, by: bool = True) -> License:
    slug = code.removeprefix("CC-").removesuffix("-4.0").lower()
    url = (
        "https://creativecommons.org/publicdomain/zero/1.0/"
        if code == "CC0-1.0"
        else f"https://creativecommons.org/licenses/{slug}/4.0/"
    )
    return License(
        id=code,
        title=title,
        url=url,
        attribution=by,
        share_alike="SA" in code,
        non_commercial="NC" in code,
        no_derivatives="ND" in code,
        open="NC" not in code and "ND" not in code,
        summary=summary,
    )


LICENSES: dict[str, License] = {
    lic.id: lic
    for lic in [
        _cc(
            "CC0-1.0",
            "Creative Commons Zero 1.0 (public domain dedication)",
            "You give up all rights: anyone may use the data for any purpose, without "
            "even naming you.",
            by=False,
        ),
        _cc(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0",
            "Anyone may use, share and adapt the data, also commercially, as long as they "
            "credit you.",
        ),
        _cc(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution-ShareAlike 4.0",
            "Anyone may use, share and adapt the data, also commercially, if they credit you "
            "and share what they make from it under the same license.",
        ),
        _cc(
            "CC-BY-NC-4.0",
            "Creative Commons Attribution-NonCommercial 4.0",
            "Anyone may use, share and adapt the data for non-commercial purposes only, and "
            "must credit you.",
        ),
        _cc(
            "CC-BY-ND-4.0",
            "Creative Commons Attribution-NoDerivatives 4.0",
            "Anyone may share the data as it is, also commercially, and must credit you; "
            "no modified versions may be shared.",
        ),
        _cc(
            "CC-BY-NC-SA-4.0",
            "Creative Commons Attribution-NonCommercial-ShareAlike 4.0",
            "Non-commercial use only, with credit, and adaptations must use the same license.",
        ),
        _cc(
            "CC-BY-NC-ND-4.0",
            "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0",
            "The most restrictive: share unchanged copies, non-commercially, with credit.",
        ),
        License(
            id="ODbL-1.0",
            title="Open Data Commons Open Database License 1.0",
            url="https://opendatacommons.org/licenses/odbl/1-0/",
            attribution=True,
            share_alike=True,
            non_commercial=False,
            no_derivatives=False,
            open=True,
            summary="Anyone may use and adapt the database if they credit you and share "
            "adapted databases under the ODbL.",
        ),
        License(
            id="ODC-By-1.0",
            title="Open Data Commons Attribution License 1.0",
            url="https://opendatacommons.org/licenses/by/1-0/",
            attribution=True,
            share_alike=False,
            non_commercial=False,
            no_derivatives=False,
            open=True,
            summary="Anyone may use and adapt the database for any purpose if they credit you.",
        ),
        License(
            id="PDDL-1.0",
            title="Open Data Commons Public Domain Dedication and License 1.0",
            url="https://opendatacommons.org/licenses/pddl/1-0/",
            attribution=False,
            share_alike=False,
            non_commercial=False,
            no_derivatives=False,
            open=True,
            summary="The database is placed in the public domain: no conditions at all.",
        ),
    ]
}


class LicenseQuestions(StrictInput):
    """The Creative Commons chooser's questions."""

    waive_all_rights: bool = False
    allow_commercial: bool = True
    allow_modifications: bool = True
    require_share_alike: bool = False


class LicenseRecommendation(BaseModel):
    license: License
    explanation: str
    open: bool


def choose_license(answers: LicenseQuestions) -> LicenseRecommendation:
    """Map the four answers to one Creative Commons license, and say why in plain words."""
    if answers.waive_all_rights:
        code = "CC0-1.0"
    else:
        parts = ["CC-BY"]
        if not answers.allow_commercial:
            parts.append("NC")
        if not answers.allow_modifications:
            parts.append("ND")
        elif answers.require_share_alike:
            parts.append("SA")
        code = "-".join(parts) + "-4.0"
    lic = LICENSES[code]
    openness = (
        "It is an open license: the dataset can be published at the `open` level."
        if lic.open
        else "It is not an open license (it restricts commercial use or changes): the dataset "
        "can be published at the `public` level, not `open`."
    )
    return LicenseRecommendation(
        license=lic, explanation=f"{lic.title}. {lic.summary} {openness}", open=lic.open
    )


def license_or_none(code: str | None) -> License | None:
    return LICENSES.get(code) if code else None


def licensing_hint() -> str:
    return (
        "Choose a license first: run `laborcommons licenses choose`, call "
        "POST /api/v1/licenses/choose, or use the license chooser page (/licenses/choose). "
        f"Known licenses: {', '.join(LICENSES)}."
    )
