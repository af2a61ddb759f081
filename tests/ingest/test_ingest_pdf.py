"""Tables in PDF reports: choice by page and number, joined pages, typing, refusals."""

from __future__ import annotations

import zlib

import pytest

from laborcommons.ingest.readers import pdf as pdf_reader

from .conftest import Ingest
from .files import pdf

SMALL = [["Region", "Cases"], ["Dhaka", "4"]]
FACTORIES = [["Factory", "Country", "Workers", "Audited"]] + [
    [f"Factory {i}", "BD", str(100 + i), f"2024-01-{i % 28 + 1:02d}"] for i in range(80)
]


def test_the_largest_table_is_read_joined_across_pages_and_typed(ingest: Ingest) -> None:
    done = ingest("report.pdf", pdf(SMALL, FACTORIES))
    assert done.report.valid, done.report
    assert done.result.sheet == "table 2 on pages 1-3"
    assert done.result.row_count == 80  # the header repeated on pages 2 and 3 is dropped
    assert done.types() == {
        "Factory": "string",
        "Country": "string",
        "Workers": "integer",
        "Audited": "date",
    }
    found = [(t.index, t.page, t.last_page, t.rows, t.columns) for t in done.report.tables]
    assert found == [(1, 1, 1, 2, 2), (2, 1, 3, 81, 4)]


def test_page_and_table_choose_and_name_what_exists(ingest: Ingest) -> None:
    data = pdf(SMALL, FACTORIES)
    first = ingest("report.pdf", data, table="1")
    assert first.report.valid and first.column("Cases") == [4]
    on_page = ingest("report.pdf", data, page=1, table="2")
    assert on_page.result.row_count == 80
    third = ingest("report.pdf", data, page=3)
    assert third.result.sheet == "table 2 on pages 1-3"
    missing = ingest("report.pdf", data, table="7")
    assert [issue.type for issue in missing.report.issues] == ["table-not-found"]
    assert "table 1 on page 1, table 2 on pages 1-3" in missing.report.issues[0].message
    no_page = ingest("report.pdf", data, page=9)
    assert [issue.type for issue in no_page.report.issues] == ["table-not-found"]
    assert "tables are on pages 1" in no_page.report.issues[0].message


def test_a_scanned_pdf_is_told_apart(ingest: Ingest) -> None:
    done = ingest("scan.pdf", pdf(blank=True))
    assert [issue.type for issue in done.report.issues] == ["pdf-no-text"]
    assert "no text layer" in done.report.issues[0].message
    text_only = ingest("letter.pdf", pdf(title="Dear colleagues, no tables here."))
    assert [issue.type for issue in text_only.report.issues] == ["no-table"]


def test_hostile_pdfs_are_refused_within_the_limits(ingest: Ingest) -> None:
    pages = ingest("pages.pdf", _pdf_with(b"<< /Type /Pages /Kids [] /Count 100000000 >>"))
    assert [issue.type for issue in pages.report.issues] == ["too-large"]
    assert "100,000,000 pages" in pages.report.issues[0].message
    nested = ingest(
        "nested.pdf", _pdf_with(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", deep=True)
    )
    # 100,000 nested arrays parse (pdfminer's stack is explicit) and the page has no text.
    assert [issue.type for issue in nested.report.issues] == ["pdf-no-text"]
    garbage = ingest("fake.pdf", b"%PDF-1.4\n this is not a pdf at all")
    assert [issue.type for issue in garbage.report.issues] == ["unreadable-file"]


def test_a_stream_bomb_is_stopped_by_the_memory_limit(
    ingest: Ingest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_reader, "MEMORY_BYTES", 512 * 1024**2)  # a smaller bomb, faster
    packer = zlib.compressobj(1)
    chunk = b" " * 1024**2
    bomb = b"".join(packer.compress(chunk) for _ in range(700)) + packer.flush()  # 700 MiB
    done = ingest("bomb.pdf", _pdf_with(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", content=bomb))
    assert [issue.type for issue in done.report.issues] == ["too-large"]


def _pdf_with(pages: bytes, *, deep: bool = False, content: bytes | None = None) -> bytes:
    """A minimal hand-written PDF: catalog, page tree, optionally one page with a stream."""
    body = b"[" * 100_000 + b"]" * 100_000 if deep else b"[]"
    stream = content if content is not None else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        pages,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots "
        + body
        + b" >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
