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
# A UTF-8 file with up to this many stray bytes is repaired byte by byte (each one
# reported); more, and it is read as a legacy code page file instead.
MAX_STRAY_BYTES = 100
CODEC_NAMES = {"cp1252": "Windows-1252, Western", "latin-1": "ISO-8859-1, Western"}


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
    """Stream ``source`` into UTF-8 at ``target``; on undecodable bytes report the line and stop.

    UTF-8 with a few stray bytes (one cp1252 "é" pasted into a UTF-8 export) is repaired:
    each stray byte is read as Windows-1252 and reported as a ``stray-bytes`` warning with
    its line; past ``MAX_STRAY_BYTES`` the file is not UTF-8 after all and is read in its
    legacy code page, with an ``encoding-guessed`` warning. A legacy code page that was
    guessed (not declared by a byte-order mark) is always named in a warning.
    """
    if codec in ("utf-8", "utf-8-sig"):
        strays = _repair_utf8(source, codec, target)
        if strays is not None:
            for line, byte, char in strays:
                message = (
                    f"line {line}: byte {byte:02x} is not UTF-8; read as Windows-1252 {char!r}"
                )
                issues.warn(report, "stray-bytes", message, row=line, value=f"{byte:02x}")
            return True
        with source.open("rb") as stream:
            head = stream.read(CHUNK)
        c1, undefined = C1_BYTES.search(head), CP1252_UNDEFINED.search(head)
        codec = _legacy_codec(head, c1=c1 is not None, undefined=undefined is not None)
        message = (
            f"more than {MAX_STRAY_BYTES} bytes are not UTF-8: the file was read as {codec} "
            f"({CODEC_NAMES.get(codec, codec)}); check accented letters"
        )
        issues.warn(report, "encoding-guessed", message)
    elif not codec.startswith("utf-"):
        message = (
            f"the file is not UTF-8: it was read as {codec} ({CODEC_NAMES.get(codec, codec)}), "
            "the likeliest encoding; check accented letters"
        )
        issues.warn(report, "encoding-guessed", message)
    return _transcode_strict(source, codec, target, report)


def _transcode_strict(source: Path, codec: str, target: Path, report: ValidationReport) -> bool:
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


def _repair_utf8(source: Path, codec: str, target: Path) -> list[tuple[int, int, str]] | None:
    """Write UTF-8 text with stray bytes read as cp1252; their (line, byte, character), or
    None (and no ``target``) when there are more than ``MAX_STRAY_BYTES``."""
    strays: list[tuple[int, int, str]] = []
    line = 1
    pending = b""
    with source.open("rb") as stream, target.open("w", encoding="utf-8", newline="") as out:
        first = True
        while True:
            chunk = stream.read(CHUNK)
            data = pending + chunk
            if first and codec == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8) :]
            first = False
            text, pending = _decode_repairing(data, final=not chunk, line=line, strays=strays)
            if len(strays) > MAX_STRAY_BYTES:
                break
            out.write(text)
            line += text.count("\n")
            if not chunk:
                return strays
    target.unlink(missing_ok=True)
    return None


def _decode_repairing(
    data: bytes, *, final: bool, line: int, strays: list[tuple[int, int, str]]
) -> tuple[str, bytes]:
    """Decode ``data`` as UTF-8, stray bytes as cp1252; returns (text, an incomplete tail)."""
    parts: list[str] = []
    while True:
        try:
            parts.append(data.decode("utf-8"))
            return "".join(parts), b""
        except UnicodeDecodeError as error:
            if not final and error.end == len(data) and error.reason == "unexpected end of data":
                parts.append(data[: error.start].decode("utf-8"))
                return "".join(parts), data[error.start :]
            good = data[: error.start].decode("utf-8")
            parts.append(good)
            line += good.count("\n")
            for byte in data[error.start : error.end]:
                char = bytes([byte]).decode("cp1252", errors="ignore") or chr(byte)
                strays.append((line, byte, char))
                parts.append(char)
            if len(strays) > MAX_STRAY_BYTES:
                return "".join(parts), b""
            data = data[error.end :]
