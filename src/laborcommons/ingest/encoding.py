"""Find a text upload's encoding and rewrite it as UTF-8, the only encoding DuckDB reads.

Order: byte-order marks, then a strict UTF-8 pass over the whole file (cheap: ASCII chunks
are skipped), then charset-normalizer for multi-byte Asian encodings, else the Western
code pages that spreadsheet exports actually use.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import NamedTuple

from charset_normalizer import from_bytes

from laborcommons.core.errors import UnsupportedMediaType
from laborcommons.ingest import issues
from laborcommons.ingest.schemas import ValidationReport

CHUNK = 1 << 20
# Fixed-endian codecs keep the BOM as U+FEFF, which becomes a UTF-8 BOM when transcoded
# (DuckDB skips it), and let an error's byte offset be decoded unambiguously.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# charset-normalizer guesses wildly on short Western samples (cp852 for cp1252 text), so
# its answer is only trusted for multi-byte encodings that no Western code page resembles.
TRUSTED_GUESSES = {"big5", "cp932", "cp949", "euc_jp", "euc_kr", "gb18030", "gb2312", "gbk"}
TRUSTED_GUESSES |= {"shift_jis", "iso2022_jp", "big5hkscs", "cp950"}
C1_BYTES = re.compile(rb"[\x80-\x9f]")
CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


class Encoding(NamedTuple):
    codec: str
    utf8: bool  # the bytes are already valid UTF-8 (maybe with a BOM): read them as they are


def refuse_binary(head: bytes, original_name: str) -> None:
    """Refuse bytes no text file contains, so a renamed binary gets 415 rather than garbage."""
    if b"\x00" in head:
        raise UnsupportedMediaType(f"{original_name}: binary data (NUL bytes), not a text file")
    sample = head[:8192]
    if sample and len(CONTROL_BYTES.findall(sample)) > len(sample) * 0.05:
        raise UnsupportedMediaType(f"{original_name}: binary data (control bytes), not text")


def detect_encoding(path: Path, original_name: str, *, head_only: bool = False) -> Encoding:
    """Decide how to decode ``path``; raises UnsupportedMediaType for binary content.

    ``head_only`` judges from the first MiB: for callers (CSV) whose parser validates UTF-8
    anyway and can ask again for the whole file when it meets invalid bytes later.
    """
    with path.open("rb") as stream:
        head = stream.read(4)
        for bom, codec in BOMS:
            if head.startswith(bom):
                return Encoding(codec, utf8=False)
        stream.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8 = True
        sample = b""
        c1 = undefined = multibyte = False
        first = True
        while chunk := stream.read(CHUNK):
            if first:
                refuse_binary(chunk, original_name)
                first = False
            elif b"\x00" in chunk:
                raise UnsupportedMediaType(f"{original_name}: binary data (NUL bytes) in the file")
            if utf8 and not (chunk.isascii() and decoder.getstate()[0] == b""):
                try:
                    decoder.decode(chunk)
                    multibyte = True
                except UnicodeDecodeError as error:
                    utf8 = False
                    multibyte = multibyte or not chunk[: error.start].isascii()
                    sample = chunk[max(0, error.start - 32768) : error.start + 32768]
            if not utf8:
                c1 = c1 or C1_BYTES.search(chunk) is not None
                undefined = undefined or CP1252_UNDEFINED.search(chunk) is not None
            if head_only and utf8:
                return Encoding("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8", True)
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    declared = head.startswith(codecs.BOM_UTF8)
    if utf8:
        return Encoding("utf-8-sig" if declared else "utf-8", utf8=True)
    if declared or multibyte:  # UTF-8 with broken bytes: transcoding reports where
        return Encoding("utf-8-sig" if declared else "utf-8", utf8=False)
    return Encoding(_legacy_codec(sample, c1=c1, undefined=undefined), utf8=False)


def _legacy_codec(sample: bytes, *, c1: bool, undefined: bool) -> str:
    """Pick a legacy codec: cp1252 if 0x80-0x9F bytes (smart quotes, €) appear, else Latin-1."""
    # A lone "ño" is also a valid GBK character: only text dense in high bytes is Asian.
    high = sum(byte >= 0x80 for byte in sample)
    if high >= max(16, len(sample) // 20):
        best = from_bytes(sample).best()
        if best is not None and best.encoding in TRUSTED_GUESSES:
            return best.encoding
    if c1 and not undefined:
        return "cp1252"
    return "latin-1"


def transcode(source: Path, codec: str, target: Path, report: ValidationReport) -> bool:
    """Stream ``source`` into UTF-8 at ``target``; on undecodable bytes report the line and stop."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    line = 1
    with source.open("rb") as stream, target.open("w", encoding="utf-8", newline="") as out:
        while True:
            chunk = stream.read(CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                before = error.object[: error.start].decode(codec, errors="replace")
                row = line + before.count("\n")
                bad = error.object[error.start : error.end].hex(" ")
                message = f"line {row}: bytes {bad} are not valid {codec}"
                issues.add(report, "encoding-error", message, row=row, value=bad)
                return False
            out.write(text)
            line += text.count("\n")
            if not chunk:
                return True
