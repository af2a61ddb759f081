"""Envelope encryption: a master key in a file wraps data keys; data keys seal objects.

Two formats, both AES-256-GCM (``cryptography``):

* **Wrapped key** (``wrap_key``): ASCII ``lck1.<master fingerprint>.<context>.<sealed>``
  (context and sealed part in URL-safe base64). The associated data is the master key's
  fingerprint plus the caller's ``context``, so a wrapped key only unwraps for the object
  (or pseudonym domain, ...) it was made for. The context is not secret; it travels in the
  blob so a key rotation can re-wrap any wrapped key without knowing what it belongs to.
  Store a wrapped key as text with ``.decode("ascii")``.
* **Sealed object** (``encrypt_stream``): a 20-byte header (magic, chunk size, random nonce
  prefix) then chunks of up to ``chunk_size`` plaintext bytes, each sealed with nonce
  ``prefix + chunk index`` and associated data ``header + caller's data + index + final
  flag``. Files stream through in chunks (never read whole), and truncating, reordering,
  appending or swapping chunks or whole files fails authentication.

A failed authentication is never garbage: it raises ``CorruptObject`` (altered or swapped
data) or ``KeyUnavailable`` (the key file is missing or is not the key that wrapped it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from laborcommons.core.errors import CorruptObject, KeyUnavailable

KEY_BYTES = 32
TAG_BYTES = 16
CHUNK_SIZE = 1024 * 1024
MAX_CHUNK_SIZE = 64 * 1024 * 1024
MAGIC = b"LCSEAL\x00\x01"
HEADER = struct.Struct(">8sI8s")  # magic, chunk size, nonce prefix
KEY_FILE_PREFIX = "lcmk1:"
WRAP_PREFIX = b"lck1"
WRAP_AD = b"laborcommons/key-wrap/v1\x00"


def new_data_key() -> bytes:
    """A fresh random 256-bit key."""
    return os.urandom(KEY_BYTES)


def key_fingerprint(key: bytes) -> str:
    """16 hex digits that name a master key without revealing it (a keyed-domain hash)."""
    return hashlib.sha256(b"laborcommons/master-key-fingerprint/v1\x00" + key).hexdigest()[:16]


@dataclass(frozen=True)
class MasterKey:
    """The node's master key, read from its key file (never stored in the database)."""

    secret: bytes = field(repr=False)
    path: Path | None = None

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.secret)


def _encode_key_file(secret: bytes) -> bytes:
    return (KEY_FILE_PREFIX + base64.urlsafe_b64encode(secret).decode("ascii") + "\n").encode()


def read_key_file(path: Path) -> MasterKey:
    """Load the master key; a missing or malformed file is a clear ``KeyUnavailable``."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise KeyUnavailable(
            f"no master key file at {path}: run `laborcommons keys init` "
            "(LABORCOMMONS_MASTER_KEY_FILE sets where it lives)"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise KeyUnavailable(f"cannot read the master key file {path}: {error}") from None
    secret = b""
    if text.startswith(KEY_FILE_PREFIX):
        try:
            secret = base64.urlsafe_b64decode(text[len(KEY_FILE_PREFIX) :])
        except (binascii.Error, ValueError):
            secret = b""
    if len(secret) != KEY_BYTES:
        raise KeyUnavailable(
            f"{path} is not a LaborCommons master key file "
            f"(expected one line '{KEY_FILE_PREFIX}' + 32 bytes in URL-safe base64)"
        )
    return MasterKey(secret, path)


def write_key_file(path: Path, secret: bytes | None = None) -> MasterKey:
    """Create a new key file readable by its owner only; never overwrites an existing one."""
    secret = secret if secret is not None else new_data_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, _encode_key_file(secret))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return MasterKey(secret, path)


def ensure_key_file(path: Path) -> tuple[MasterKey, bool]:
    """The key in ``path``, made first when missing; ``created`` says which happened."""
    try:
        return write_key_file(path), True
    except FileExistsError:
        return read_key_file(path), False


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _unb64(data: bytes) -> bytes:
    return base64.urlsafe_b64decode(data + b"=" * (-len(data) % 4))


def _parse_wrapped(wrapped: bytes) -> tuple[str, bytes, bytes]:
    parts = bytes(wrapped).strip().split(b".")
    try:
        if len(parts) != 4 or parts[0] != WRAP_PREFIX:
            raise ValueError("not a wrapped key")
        fingerprint = parts[1].decode("ascii")
        context, sealed = _unb64(parts[2]), _unb64(parts[3])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise CorruptObject("a wrapped key is malformed (not 'lck1.<fp>.<ctx>.<key>')") from None
    if len(fingerprint) != 16 or len(sealed) != 12 + KEY_BYTES + TAG_BYTES:
        raise CorruptObject("a wrapped key is malformed (wrong length)")
    return fingerprint, context, sealed


def wrapped_fingerprint(wrapped: bytes) -> str:
    """The fingerprint of the master key that wrapped this key."""
    return _parse_wrapped(wrapped)[0]


def wrap_key(master: MasterKey, key: bytes, context: bytes) -> bytes:
    """Seal a 256-bit ``key`` under the master key, bound to ``context`` (ASCII result)."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"only {KEY_BYTES}-byte keys are wrapped, not {len(key)} bytes")
    nonce = os.urandom(12)
    fingerprint = master.fingerprint.encode("ascii")
    sealed = AESGCM(master.secret).encrypt(nonce, key, WRAP_AD + fingerprint + b"\x00" + context)
    return b".".join((WRAP_PREFIX, fingerprint, _b64(context), _b64(nonce + sealed)))


def unwrap_key(master: MasterKey, wrapped: bytes, context: bytes) -> bytes:
    """The key sealed by ``wrap_key`` for this ``context``; anything else raises."""
    fingerprint, bound, sealed = _parse_wrapped(wrapped)
    if fingerprint != master.fingerprint:
        raise KeyUnavailable(
            f"a data key was wrapped under master key {fingerprint}, but the key file "
            f"holds {master.fingerprint}: wrong key file, or a rotation was not finished"
        )
    if bound != context:
        raise CorruptObject(
            f"a wrapped key made for {bound!r} was presented for {context!r} (swapped?)"
        )
    ad = WRAP_AD + fingerprint.encode("ascii") + b"\x00" + context
    try:
        return AESGCM(master.secret).decrypt(sealed[:12], sealed[12:], ad)
    except InvalidTag:
        raise CorruptObject(f"the wrapped key for {context!r} failed authentication") from None


def rewrap_key(old: MasterKey, new: MasterKey, wrapped: bytes) -> bytes:
    """Move a wrapped key from ``old`` to ``new``, keeping its context (for rotation)."""
    context = _parse_wrapped(wrapped)[1]
    return wrap_key(new, unwrap_key(old, wrapped, context), context)


def _read_full(source: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes: short only at the end of the stream."""
    parts: list[bytes] = []
    wanted = size
    while wanted:
        part = source.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _chunk_ad(header: bytes, associated: bytes, index: int, final: bool) -> bytes:
    return header + associated + struct.pack(">QB", index, final)


def _chunk_nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def encrypt_stream(
    source: BinaryIO,
    target: BinaryIO,
    key: bytes,
    associated: bytes,
    *,
    chunk_size: int = CHUNK_SIZE,
) -> int:
    """Seal ``source`` into ``target`` chunk by chunk; return the plaintext size."""
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk size must be between 1 and {MAX_CHUNK_SIZE}")
    prefix = os.urandom(8)
    header = HEADER.pack(MAGIC, chunk_size, prefix)
    target.write(header)
    aead = AESGCM(key)
    current, index, total = _read_full(source, chunk_size), 0, 0
    while True:
        following = _read_full(source, chunk_size) if len(current) == chunk_size else b""
        final = not following
        ad = _chunk_ad(header, associated, index, final)
        target.write(aead.encrypt(_chunk_nonce(prefix, index), current, ad))
        total += len(current)
        if final:
            return total
        current, index = following, index + 1


def decrypt_stream(
    source: BinaryIO, key: bytes, associated: bytes, *, label: str = "object"
) -> Iterator[bytes]:
    """Yield the plaintext of a sealed stream; any tampering raises ``CorruptObject``."""
    header = _read_full(source, HEADER.size)
    magic, chunk_size, prefix = (
        HEADER.unpack(header) if len(header) == HEADER.size else (b"", 0, b"")
    )
    if magic != MAGIC or not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise CorruptObject(f"{label} is not a sealed object (bad header)")
    aead = AESGCM(key)
    block = _read_full(source, chunk_size + TAG_BYTES)
    index = 0
    while True:
        following = _read_full(source, chunk_size + TAG_BYTES) if len(block) > 0 else b""
        final = not following
        try:
            ad = _chunk_ad(header, associated, index, final)
            yield aead.decrypt(_chunk_nonce(prefix, index), block, ad)
        except InvalidTag:
            raise CorruptObject(
                f"{label} failed authentication at chunk {index}: it was altered, "
                "truncated or swapped with another object"
            ) from None
        if final:
            return
        block, index = following, index + 1


def decrypt_bytes(
    source: BinaryIO, key: bytes, associated: bytes, *, label: str = "object"
) -> bytes:
    """The whole plaintext in memory (for objects that are read into memory anyway)."""
    return b"".join(decrypt_stream(source, key, associated, label=label))
