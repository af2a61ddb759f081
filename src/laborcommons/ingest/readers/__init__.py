"""One reader per format, registered by format name (see ``formats.FORMATS``)."""

from __future__ import annotations

from laborcommons.ingest.readers.base import Reader
from laborcommons.ingest.readers.csv import read_csv
from laborcommons.ingest.readers.html import read_html
from laborcommons.ingest.readers.json import read_json, read_json_lines
from laborcommons.ingest.readers.ods import read_ods
from laborcommons.ingest.readers.pdf import read_pdf
from laborcommons.ingest.readers.xls import read_xls
from laborcommons.ingest.readers.xlsx import read_xlsx
from laborcommons.ingest.readers.xml import read_xml

READERS: dict[str, Reader] = {
    "csv": read_csv,
    "xlsx": read_xlsx,
    "json": read_json,
    "jsonl": read_json_lines,
    "xml": read_xml,
    "xls": read_xls,
    "ods": read_ods,
    "pdf": read_pdf,
    "html": read_html,
}

__all__ = ["READERS", "Reader"]
