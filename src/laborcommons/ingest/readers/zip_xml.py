"""Workbooks are zips of XML parts: none of them may carry a DTD (entities, external files).

Python's XML parsers refuse or choke on a DTD in different ways (an undefined-entity
``ParseError`` from openpyxl's sheet reader, silence in others); Excel never writes one.
So every XML part's prolog is checked before the workbook is opened, and a DTD is a
validation issue (``xml-forbidden``), as in an XML upload, never a crash.
"""

from __future__ import annotations

import zipfile
from xml.etree.ElementTree import ParseError

from laborcommons.ingest import issues
from laborcommons.ingest.readers.base import ReadRequest

__all__ = ["ParseError", "broken_part", "refuse_doctype"]

PROLOG_BYTES = 1 << 16  # a DTD must stand before the root element, at the top of the part
XML_SUFFIXES = (".xml", ".rels", ".vml")


def refuse_doctype(req: ReadRequest) -> bool:
    """Report (and answer True) when an XML part of the archive declares a DTD or entity."""
    try:
        with zipfile.ZipFile(req.source) as archive:
            for member in archive.infolist():
                if not member.filename.lower().endswith(XML_SUFFIXES):
                    continue
                with archive.open(member) as part:
                    head = part.read(PROLOG_BYTES).upper()
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    message = (
                        f"{req.name}: part {member.filename} declares a DTD (<!DOCTYPE> or "
                        "entities), which no spreadsheet program writes; the file is refused"
                    )
                    issues.add(req.report, "xml-forbidden", message, value=member.filename)
                    return True
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return False  # not a readable zip: the workbook reader says so
    return False


def broken_part(req: ReadRequest, error: ParseError) -> None:
    """Report a part that is not well-formed XML (met while reading a sheet): not a crash."""
    issues.add(req.report, "invalid-xml", f"{req.name}: a worksheet is broken XML ({error})")
