"""One reader per format, registered by format name (see ``formats.FORMATS``)."""

from __future__ import annotations

from laborcommons.ingest.readers.base import Reader
from laborcommons.ingest.readers.csv import read_csv
from laborcommons.ingest.readers.json import read_json, read_json_lines
from laborcommons.ingest.readers.xlsx import read_xlsx
from laborcommons.ingest.readers.xml import read_xml

READERS: dict[str, Reader] = {
    "csv": read_csv,
    "xlsx": read_xlsx,
    "json": read_json,
    "jsonl": read_json_lines,
    "xml": read_xml,
}

__all__ = ["READERS", "Reader"]
