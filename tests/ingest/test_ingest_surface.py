"""Every format the readers accept is documented."""

from __future__ import annotations

from pathlib import Path

from laborcommons.ingest import FORMATS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "validation.md"


def test_every_format_is_documented() -> None:
    text = DOCS.read_text()
    for extension in FORMATS:
        assert f"`{extension}`" in text
