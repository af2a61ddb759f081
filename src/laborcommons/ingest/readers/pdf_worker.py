"""Extract a PDF's tables in a child process with memory and CPU limits (``python -m``).

Why a process: a hostile PDF can be a decompression bomb (a small FlateDecode stream that
inflates to gigabytes), nest objects deeply, or cost minutes per page; pdfminer has no
limit for any of those. (Its parser keeps nested arrays on an explicit stack, so 100,000
levels parse without recursion; a RecursionError elsewhere is still caught.) The kernel's
limits (address space, CPU seconds) and the parent's wall-clock timeout bound all of them,
whatever pdfminer does.
The result is JSON on stdout: {"pages", "chars", "tables": [{"page", "rows"}]} or
{"error": kind, "message"}.
"""

from __future__ import annotations

import json
import resource
import sys
from typing import Any


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def extract(path: str, max_pages: int) -> dict[str, Any]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdftypes import resolve1

    try:
        pdf = pdfplumber.open(path)
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        return {"error": "encrypted-file", "message": f"password-protected ({error})"}
    with pdf:
        declared = resolve1(pdf.doc.catalog.get("Pages"))
        count = int(resolve1(declared.get("Count", 0))) if isinstance(declared, dict) else 0
        if count > max_pages:
            return {
                "error": "too-large",
                "message": f"{count:,} pages, over the limit of {max_pages:,}",
            }
        chars = 0
        tables = []
        for number, page in enumerate(pdf.pages, 1):
            if number > max_pages:
                return {"error": "too-large", "message": f"over {max_pages:,} pages"}
            chars += len(page.chars)
            for rows in page.extract_tables():
                tables.append({"page": number, "rows": rows})
            page.close()
        return {"pages": number if pdf.pages else 0, "chars": chars, "tables": tables}


def _out_of_memory(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, MemoryError) or "allocate" in str(error):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def main() -> None:
    path, max_pages, memory, cpu = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    _limit(memory, cpu)
    try:
        result = extract(path, max_pages)
    except RecursionError:
        result = {"error": "too-large", "message": "objects nested too deeply"}
    except MemoryError:
        result = {"error": "too-large", "message": "needs more memory than allowed"}
    except Exception as error:  # a corrupt PDF fails anywhere inside pdfminer
        if _out_of_memory(error):  # pdfminer wraps zlib's MemoryError in its own
            result = {"error": "too-large", "message": "a stream inflates past the memory limit"}
        else:
            text = f"{type(error).__name__}: {error}"[:300]
            result = {"error": "unreadable-file", "message": text}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
