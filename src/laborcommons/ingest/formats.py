"""Which reader handles an upload, and the file-level refusals made before any reading.

Refusals here are exceptions (415/413): the request cannot proceed at all. Anything wrong
*inside* a readable file is a validation issue instead.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from laborcommons.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "xml",
    ".xls": "xls",
    ".ods": "ods",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
}

# Which reader options apply to which formats: any other combination is refused (422).
OPTIONS: dict[str, frozenset[str]] = {
    "sheet": frozenset({"xlsx", "xls", "ods"}),
    "page": frozenset({"pdf"}),
    "table": frozenset({"pdf", "html"}),
}
ZIP_FORMATS = frozenset({"xlsx", "ods"})

# A legitimate worksheet compresses 5-30x; zip bombs reach 1000x. Small members are exempt
# because tiny repetitive XML parts can have high ratios without costing anything.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024


def detect_format(original_name: str) -> str:
    """Map the user's file name to a reader, because the extension is what the user chose."""
    suffix = PurePath(original_name).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise UnsupportedMediaType(
            f"{original_name}: unsupported file type {suffix or '(no extension)'!r}; "
            f"expected one of {known}"
        ) from None


def check_options(fmt: str, original_name: str, given: dict[str, object]) -> None:
    """Refuse a reader option the file's format has no use for, naming where it applies."""
    for option, value in given.items():
        if value is not None and fmt not in OPTIONS[option]:
            formats = ", ".join(sorted(OPTIONS[option]))
            raise InvalidInput(
                f"{original_name}: the {option} option applies only to {formats} files, not {fmt}",
                details={"option": option, "format": fmt},
            )
    page = given.get("page")
    if isinstance(page, int) and page < 1:
        raise InvalidInput(f"page must be 1 or more, not {page}", details={"option": "page"})


def check_xlsx_archive(path: PurePath, original_name: str, max_uncompressed_bytes: int) -> None:
    """Refuse non-zip or bomb-like workbooks from the zip directory, before openpyxl inflates them.

    Python's zipfile stops inflating a member at its declared size, so the declared sizes
    checked here bound what openpyxl can ever decompress.
    """
    if not zipfile.is_zipfile(path):
        raise UnsupportedMediaType(f"{original_name}: not a spreadsheet (not a zip archive)")
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    total = sum(member.file_size for member in members)
    if total > max_uncompressed_bytes:
        raise PayloadTooLarge(
            f"{original_name}: the workbook declares {total:,} bytes uncompressed, "
            f"over the limit of {max_uncompressed_bytes:,} bytes"
        )
    for member in members:
        if member.file_size < RATIO_CHECK_MIN_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            raise PayloadTooLarge(
                f"{original_name}: part {member.filename} expands {ratio:,.0f}x "
                f"({member.file_size:,} bytes), which looks like a zip bomb"
            )
