"""XLS (BIFF) and ODS: the XLSX rules (sheet choice, title rows, typed dates, cached
formula values, limits), and hostile or broken files reported, never a 500."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile

import pytest

from .conftest import Ingest
from .files import SUPPLIERS, ods, xls

EXPECTED_TYPES = {
    "Name": "string",
    "Audited": "date",
    "Workers": "integer",
    "Double": "number",
    "Code": "string",
}


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_title_rows_are_skipped_and_cells_keep_their_types(ingest: Ingest, suffix: str) -> None:
    make = xls if suffix == "xls" else ods
    data = make(("Notes", [["read me"]]), ("Suppliers", SUPPLIERS))
    done = ingest(f"audit.{suffix}", data, sheet="Suppliers")
    assert done.report.valid, done.report
    assert done.result.sheet == "Suppliers"
    assert done.types() == EXPECTED_TYPES
    assert done.rows()[0] == {
        "Name": "Acme Garments",
        "Audited": dt.date(2021, 1, 2),
        "Workers": 21,
        "Double": 42.0,
        "Code": "01234",
    }
    missing = ingest(f"audit.{suffix}", data, sheet="Data")
    assert missing.issues() == [("sheet-not-found", None, None)]
    assert "'Notes', 'Suppliers'" in missing.report.issues[0].message


def test_xls_formula_cells_read_their_cached_value(ingest: Ingest) -> None:
    rows = [["Name", "Workers", "Double"], ["Acme", 21, "=B2*2"]]
    data = bytearray(xls(("Data", rows)))
    # xlwt caches no result; Excel stores one in the FORMULA record (0x0006: row, column,
    # format, then the 8-byte result), which is what a reader must take.
    found = re.search(rb"\x06\x00..\x01\x00\x02\x00", bytes(data), re.DOTALL)
    assert found is not None
    at = found.start()
    data[at + 10 : at + 18] = struct.pack("<d", 42.0)
    done = ingest("f.xls", bytes(data))
    assert done.report.valid
    assert done.column("Double") == [42]


def test_ods_repeated_padding_costs_nothing_and_a_repeat_bomb_is_refused(ingest: Ingest) -> None:
    data = ods(("Data", [["Name", "Workers"], ["Acme", 3]]))
    archive = zipfile.ZipFile(io.BytesIO(data))
    content = archive.read("content.xml")
    padding = (
        b'<table:table-row table:number-rows-repeated="1048000">'
        b'<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    padded = content.replace(b"</table:table>", padding + b"</table:table>")
    done = ingest("padded.ods", _rezip(data, padded))
    assert done.report.valid and done.column("Workers") == [3]
    bomb_row = (
        b'<table:table-row table:number-rows-repeated="2000000">'
        b'<table:table-cell office:value-type="float" office:value="1"/></table:table-row>'
    )
    bomb = ingest(
        "bomb.ods", _rezip(data, content.replace(b"</table:table>", bomb_row + b"</table:table>"))
    )
    assert [issue.type for issue in bomb.report.issues] == ["too-large"]
    wide = content.replace(
        b"</table:table-row>",
        b'<table:table-cell table:number-columns-repeated="99999" office:value-type="float"'
        b' office:value="1"/></table:table-row>',
        1,
    )
    assert [i.type for i in ingest("wide.ods", _rezip(data, wide)).report.issues] == ["too-large"]


def test_ods_with_a_dtd_is_refused(ingest: Ingest) -> None:
    data = ods(("Data", [["Name", "Workers"], ["Acme", 3]]))
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    laughs = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    hostile = content.replace(b"?>", b"?>" + laughs, 1)
    done = ingest("dtd.ods", _rezip(data, hostile))
    assert [issue.type for issue in done.report.issues] == ["xml-forbidden"]


def test_corrupt_and_encrypted_spreadsheets_are_reported(ingest: Ingest) -> None:
    data = xls(("Data", [["Name", "Workers"], ["Acme", 3]]))
    corrupt = ingest("broken.xls", data[:600] + b"\x00" * 50)
    assert [issue.type for issue in corrupt.report.issues] == ["unreadable-file"]
    assert "broken.xls" in corrupt.report.issues[0].message
    garbage = ingest("text.xls", b"name,workers\nAcme,3\n")
    assert [issue.type for issue in garbage.report.issues] == ["unreadable-file"]
    odsdata = ods(("Data", [["Name", "Workers"], ["Acme", 3]]))
    manifest = zipfile.ZipFile(io.BytesIO(odsdata)).read("META-INF/manifest.xml")
    locked = manifest.replace(
        b"</manifest:manifest>", b"<manifest:encryption-data/></manifest:manifest>"
    )
    encrypted = ingest("locked.ods", _rezip(odsdata, locked, member="META-INF/manifest.xml"))
    assert [issue.type for issue in encrypted.report.issues] == ["encrypted-file"]


def test_an_xls_filepass_record_is_an_encrypted_file(ingest: Ingest) -> None:
    data = bytearray(xls(("Data", [["Name", "Workers"], ["Acme", 3]])))
    # BIFF8 workbook stream: insert a FILEPASS record (0x002F) right after the first BOF,
    # which is how Excel marks a password-protected workbook.
    start = data.find(b"\x09\x08\x10\x00")
    assert start > 0
    bof_end = start + 4 + 16
    data[bof_end : bof_end + 4] = b"\x2f\x00\x00\x00"  # overwrite the next record's header
    done = ingest("locked.xls", bytes(data))
    assert [issue.type for issue in done.report.issues] in (["encrypted-file"], ["unreadable-file"])


def _rezip(data: bytes, content: bytes, member: str = "content.xml") -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = content if info.filename == member else source.read(info.filename)
            target.writestr(info.filename, body)
    return buffer.getvalue()
