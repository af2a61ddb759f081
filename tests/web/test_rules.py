"""Pure rules of the web edge: where sign-in may send you, and license terms in words."""

from __future__ import annotations

import pytest

from laborcommons.catalog.licenses import LICENSES
from laborcommons.web.auth import local_path
from laborcommons.web.licensing import license_terms


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/datasets/wages?_page=2", "/datasets/wages?_page=2"),
        ("/", "/"),
        ("", "/"),
        (None, "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_sign_in_only_redirects_to_local_paths(target: str | None, expected: str):
    assert local_path(target) == expected


def test_license_terms_follow_the_license_flags():
    nc_sa = license_terms(LICENSES["CC-BY-NC-SA-4.0"])
    assert "Commercial use" in nc_sa.forbids
    assert nc_sa.requires == ["Credit the source", "Share adaptations under the same license"]
    nd = license_terms(LICENSES["CC-BY-ND-4.0"])
    assert "Sharing modified or combined versions" in nd.forbids
    assert "Commercial use" in nd.allows
    cc0 = license_terms(LICENSES["CC0-1.0"])
    assert cc0.requires == [] and cc0.forbids == []
