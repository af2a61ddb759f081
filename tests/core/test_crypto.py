"""Envelope encryption primitives: wrapped keys, chunked sealed streams, the key file."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laborcommons.core.crypto import (
    HEADER,
    TAG_BYTES,
    MasterKey,
    decrypt_bytes,
    encrypt_stream,
    ensure_key_file,
    new_data_key,
    read_key_file,
    rewrap_key,
    unwrap_key,
    wrap_key,
    wrapped_fingerprint,
)
from laborcommons.core.errors import CorruptObject, KeyUnavailable

CHUNK = 64
AD = b"laborcommons/object/original/" + b"ab" * 32


def seal(data: bytes, key: bytes, ad: bytes = AD, chunk: int = CHUNK) -> bytes:
    out = io.BytesIO()
    assert encrypt_stream(io.BytesIO(data), out, key, ad, chunk_size=chunk) == len(data)
    return out.getvalue()


def chunks_of(sealed: bytes, chunk: int = CHUNK) -> tuple[bytes, list[bytes]]:
    body = sealed[HEADER.size :]
    size = chunk + TAG_BYTES
    return sealed[: HEADER.size], [body[i : i + size] for i in range(0, len(body), size)]


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=5 * CHUNK + 3), chunk=st.sampled_from([1, 7, CHUNK]))
def test_sealed_streams_round_trip_at_every_size(data: bytes, chunk: int) -> None:
    key = new_data_key()
    sealed = seal(data, key, chunk=chunk)
    assert decrypt_bytes(io.BytesIO(sealed), key, AD) == data
    if len(data) >= 8:
        # the header (magic, chunk size, nonce prefix) is public; the body must hide data
        assert data not in sealed[HEADER.size :]


@pytest.mark.parametrize("size", [0, CHUNK - 1, CHUNK, 3 * CHUNK, 3 * CHUNK + 5])
def test_tampering_is_refused_not_returned(size: int) -> None:
    key = new_data_key()
    data = os.urandom(size)
    sealed = seal(data, key)
    header, parts = chunks_of(sealed)
    broken = {
        "other associated data": (sealed, b"laborcommons/object/parquet/" + b"ab" * 32),
        "bit flip": (sealed[:-1] + bytes([sealed[-1] ^ 1]), AD),
        "appended bytes": (sealed + b"\x00" * 20, AD),
        "header changed": (header[:-1] + bytes([header[-1] ^ 1]) + sealed[HEADER.size :], AD),
        "not sealed at all": (data, AD),
    }
    if len(parts) > 1:
        broken["last chunk dropped"] = (header + b"".join(parts[:-1]), AD)
        broken["chunks reordered"] = (header + parts[1] + parts[0] + b"".join(parts[2:]), AD)
    for label, (blob, ad) in broken.items():
        with pytest.raises(CorruptObject):
            decrypt_bytes(io.BytesIO(blob), key, ad)
            pytest.fail(f"{label} was accepted")
    with pytest.raises(CorruptObject):
        decrypt_bytes(io.BytesIO(sealed), new_data_key(), AD)


def test_a_swapped_ciphertext_fails_even_with_the_right_length() -> None:
    key_a, key_b = new_data_key(), new_data_key()
    ad_a, ad_b = AD, b"laborcommons/object/original/" + b"cd" * 32
    sealed_b = seal(b"wages,\xd0\x96\xd1\x83\xd0\xba\n" * 9, key_b, ad_b)
    with pytest.raises(CorruptObject, match="swapped"):
        decrypt_bytes(io.BytesIO(sealed_b), key_a, ad_a)
    with pytest.raises(CorruptObject):  # the right key but another object's identity
        decrypt_bytes(io.BytesIO(sealed_b), key_b, ad_a)


class CountingReader(io.BytesIO):
    """Records the largest read, to show files stream through in chunks."""

    largest = 0

    def read(self, size: int | None = -1) -> bytes:
        self.largest = max(self.largest, size if size is not None and size >= 0 else 1 << 62)
        return super().read(size)


def test_encryption_streams_instead_of_reading_whole_files() -> None:
    source = CountingReader(os.urandom(50 * CHUNK))
    encrypt_stream(source, io.BytesIO(), new_data_key(), AD, chunk_size=CHUNK)
    assert source.largest == CHUNK


def test_wrapped_keys_are_bound_to_their_master_and_context() -> None:
    master, other = MasterKey(new_data_key()), MasterKey(new_data_key())
    key = new_data_key()
    context = b"pseudonym-domain:garment-union:hr-release-2026"
    wrapped = wrap_key(master, key, context)
    assert wrapped.decode("ascii").startswith("lck1.")  # storable as text
    assert key not in wrapped and wrapped_fingerprint(wrapped) == master.fingerprint
    assert unwrap_key(master, wrapped, context) == key
    assert wrap_key(master, key, context) != wrapped  # a fresh nonce every time
    with pytest.raises(CorruptObject, match="swapped"):
        unwrap_key(master, wrapped, b"pseudonym-domain:garment-union:other")
    with pytest.raises(KeyUnavailable, match=other.fingerprint):
        unwrap_key(other, wrapped, context)
    text = wrapped.decode("ascii")
    flipped = text[:-3] + ("A" if text[-3] != "A" else "B") + text[-2:]
    with pytest.raises(CorruptObject):
        unwrap_key(master, flipped.encode("ascii"), context)
    with pytest.raises(CorruptObject, match="malformed"):
        unwrap_key(master, b"not a wrapped key", context)


def test_rewrap_moves_a_key_to_the_new_master_only() -> None:
    old, new = MasterKey(new_data_key()), MasterKey(new_data_key())
    key = new_data_key()
    wrapped = wrap_key(old, key, b"object:a")
    moved = rewrap_key(old, new, wrapped)
    assert unwrap_key(new, moved, b"object:a") == key
    with pytest.raises(KeyUnavailable):
        unwrap_key(old, moved, b"object:a")
    with pytest.raises(KeyUnavailable):  # a rewrap with the wrong old key changes nothing
        rewrap_key(new, old, wrapped)


def test_key_file_is_private_made_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "master.key"
    first, created = ensure_key_file(path)
    assert created and stat.S_IMODE(path.stat().st_mode) == 0o600
    again, created_again = ensure_key_file(path)
    assert not created_again and again.fingerprint == first.fingerprint
    assert read_key_file(path).secret == first.secret
    assert first.secret not in path.read_bytes()  # encoded, one line of text
    assert repr(first.secret) not in repr(first)  # the secret never shows in logs
    other, _ = ensure_key_file(tmp_path / "other.key")
    assert other.fingerprint != first.fingerprint and len(other.fingerprint) == 16


def test_missing_or_malformed_key_files_say_what_to_do(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.key"
    with pytest.raises(KeyUnavailable, match="laborcommons keys init") as error:
        read_key_file(missing)
    assert str(missing) in error.value.message
    for content in ["", "lcmk1:tooshort", "-----BEGIN PRIVATE KEY-----", "lcmk1:" + "A" * 44]:
        bad = tmp_path / "bad.key"
        bad.write_text(content)
        with pytest.raises(KeyUnavailable, match="not a LaborCommons master key"):
            read_key_file(bad)
    latin = tmp_path / "latin.key"
    latin.write_bytes("clé".encode("latin-1"))
    with pytest.raises(KeyUnavailable):
        read_key_file(latin)
