"""Encryption at rest of dataset objects: what is not public/open is stored sealed.

Each object (the original upload, its Parquet) of a version whose dataset level is not
``public``/``open`` is sealed with its own data key (``core.crypto``), bound to its digest
and role. The form on disk follows the levels of every version that references the
content: sealed if any of them is restricted, plain if any is public/open (both when
shared), so changing one dataset's level never breaks another dataset with the same bytes.

Sealed objects are read in memory only: decrypted into an Arrow table (kept in a small LRU
by digest, valid because objects never change) that DuckDB queries; exports are built in
memory. Removing a form that another transaction might still need waits until commit.
Key rotation and status live in ``rotation``.

A new version's files wait in staging (``objects/staging/<token>/``, the node's tmp dir)
until every check passed; only then are they placed, sealed straight from the staged
copy, so no plaintext object of a restricted version ever sits under its final name. The
key row of a sealed object is inserted before its file is written: the row's primary key
makes concurrent sealers of the same content take turns, and the loser keeps the
winner's form. Plain objects are content-addressed and may be shared by a concurrent
upload: a rollback never removes them; ``repair.sweep_unreferenced`` does, when no
other node is running.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from laborcommons.access import READABLE_BY_ANYONE
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.catalog.service.rotation import wrapping_fingerprints
from laborcommons.core import duck
from laborcommons.core.crypto import (
    MasterKey,
    decrypt_bytes,
    decrypt_stream,
    encrypt_stream,
    ensure_key_file,
    new_data_key,
    unwrap_key,
    wrap_key,
)
from laborcommons.core.db import after_commit, on_rollback, savepoint
from laborcommons.core.errors import CorruptObject, KeyUnavailable
from laborcommons.core.node import Node, node_of
from laborcommons.core.store import SealedObject

MEMORY_PREFIX = "memory://laborcommons-exports/"
ATTACHMENT = "attachment"  # the role of a file attached to evidence (``seal_attachment``)


def must_seal(level: str) -> bool:
    return level not in READABLE_BY_ANYONE


def object_context(digest: str, role: str) -> bytes:
    """What a sealed object's data key and chunks are bound to."""
    return f"laborcommons/object/{role}/{digest}".encode("ascii")


def master_key(node: Node, session: Session) -> MasterKey:
    """The master key; a missing or wrong file names the key the data was sealed under."""
    try:
        return node.master_key()
    except KeyUnavailable as error:
        row = session.execute(
            select(SealedObject.key_fingerprint, func.count()).group_by(
                SealedObject.key_fingerprint
            )
        ).first()
        if row is None:
            raise
        raise KeyUnavailable(
            f"{error.message}; {row[1]} object(s) are sealed under master key {row[0]}"
        ) from None


def key_for_sealing(node: Node, session: Session) -> MasterKey:
    """The key new material is sealed or wrapped under: the one in use, never a second one.

    A node that has sealed and wrapped nothing yet (no object, pseudonym key or audit
    secret: every kind ``wrapping_fingerprints`` knows) makes its key on first use (as
    ``keys init`` would); otherwise a lost key file is an error, never a fresh key.
    """
    if not wrapping_fingerprints(session):
        return ensure_key_file(node.settings.key_file)[0]
    master = master_key(node, session)
    other = session.scalar(
        select(SealedObject.key_fingerprint)
        .where(SealedObject.key_fingerprint != master.fingerprint)
        .limit(1)
    )
    if other is not None:
        raise KeyUnavailable(
            f"the key file {node.settings.key_file} holds master key {master.fingerprint}, "
            f"but stored objects are sealed under {other}: wrong key file?"
        )
    return master


def _data_key(row: SealedObject, master: MasterKey) -> bytes:
    return unwrap_key(master, row.wrapped_key.encode("ascii"), object_context(row.digest, row.role))


def _seal(
    digest: str,
    role: str,
    *,
    node: Node,
    session: Session,
    source: Path | None = None,
    content: bytes | None = None,
) -> None:
    """Seal ``source`` (default: the plain object), or ``content`` held in memory, as this
    digest's sealed form.

    The key row goes in first: holding its primary key, this transaction alone may write
    the file, so an earlier leftover is simply replaced. A concurrent transaction that
    sealed the same content and committed wins; its form stands.
    """
    store = node.store
    plain = source or store.path_for(digest)
    if content is None and not plain.exists():
        raise CorruptObject(f"object {digest} is missing from the store: cannot seal it")
    master = key_for_sealing(node, session)
    data_key, context = new_data_key(), object_context(digest, role)
    row = SealedObject(
        digest=digest,
        role=role,
        wrapped_key=wrap_key(master, data_key, context).decode("ascii"),
        key_fingerprint=master.fingerprint,
        size_bytes=len(content) if content is not None else plain.stat().st_size,
    )
    try:
        with savepoint(session):
            session.add(row)
            session.flush()
    except IntegrityError:
        return

    def write(target: BinaryIO) -> None:
        with BytesIO(content) if content is not None else plain.open("rb") as reader:
            encrypt_stream(reader, target, data_key, context)

    store.write_sealed(digest, write, replace=True)
    on_rollback(session, partial(store.delete_sealed, digest))


def _unseal(row: SealedObject, *, node: Node, session: Session) -> None:
    data_key = _data_key(row, master_key(node, session))
    sealed = node.store.sealed_path_for(row.digest)

    def write(target: BinaryIO) -> str:
        digest = hashlib.sha256()
        with sealed.open("rb") as source:
            context = object_context(row.digest, row.role)
            for chunk in decrypt_stream(source, data_key, context, label=f"object {row.digest}"):
                digest.update(chunk)
                target.write(chunk)
        return digest.hexdigest()

    if node.store.write_plain(row.digest, write):
        on_rollback(session, partial(node.store.delete, row.digest))


def _uses(digest: str, session: Session) -> tuple[set[str], str]:
    """The levels of every dataset that holds this content, and the object's role."""
    rows = session.execute(
        select(DatasetVersion.sha256, Dataset.access)
        .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
        .where(or_(DatasetVersion.sha256 == digest, DatasetVersion.parquet_sha256 == digest))
    ).all()
    role = "original" if any(r[0] == digest for r in rows) else "parquet"
    return {r[1] for r in rows}, role


def reseal_object(digest: str, *, node: Node, session: Session, source: Path | None = None) -> bool:
    """Put one object in the form(s) its users' levels require; True when it changed.

    ``source``: a staged copy of the content (a new version), used instead of the stored
    forms; the caller removes it.
    """
    levels, role = _uses(digest, session)
    if not levels:
        return False
    want_sealed = any(must_seal(level) for level in levels)
    want_plain = not all(must_seal(level) for level in levels)
    store, row = node.store, session.get(SealedObject, digest)
    has_sealed = row is not None and store.sealed_path_for(digest).exists()
    has_plain = store.path_for(digest).exists()
    if want_plain and not has_plain:
        if source is not None:
            store.put_file(source, digest)  # shared content: swept, never rolled back
        elif row is None:
            raise CorruptObject(f"object {digest} is missing from the store")
        else:
            _unseal(row, node=node, session=session)
    if want_sealed and not has_sealed:
        if row is not None:
            session.delete(row)
            session.flush()
        _seal(digest, role, node=node, session=session, source=source)
    if not want_sealed and row is not None:
        session.delete(row)
        after_commit(session, partial(store.delete_sealed, digest))
    if not want_plain and has_plain:
        after_commit(session, partial(store.delete, digest))
    return want_sealed != has_sealed or want_plain != has_plain


def _digests(versions: list[DatasetVersion]) -> list[str]:
    return sorted({d for v in versions for d in (v.sha256, v.parquet_sha256)})


def place_version(
    version: DatasetVersion, staged: dict[str, Path], *, node: Node, session: Session
) -> None:
    """Store a new version's staged files (by digest) in the form(s) its level requires."""
    session.flush()
    for digest, source in sorted(staged.items()):
        reseal_object(digest, node=node, session=session, source=source)


def reseal_dataset(dataset: Dataset, *, session: Session, node: Node | None = None) -> int:
    """After a level change: re-encrypt or decrypt the dataset's objects (and only what no
    other dataset still needs in the old form). Returns how many objects changed."""
    node = node or node_of(session)
    session.flush()
    return sum(
        reseal_object(d, node=node, session=session) for d in _digests(list(dataset.versions))
    )


def reseal_all(*, node: Node, session: Session) -> int:
    """Every object of the node in its required form: after an upgrade or an interruption."""
    return sum(reseal_object(d, node=node, session=session) for d in referenced_digests(session))


def referenced_digests(session: Session) -> list[str]:
    """Every object some version uses (its original or its Parquet), and every attachment."""
    digests = session.execute(select(DatasetVersion.sha256, DatasetVersion.parquet_sha256)).all()
    attachments = session.scalars(
        select(SealedObject.digest).where(SealedObject.role == ATTACHMENT)
    )
    return sorted({d for pair in digests for d in pair} | set(attachments))


def seal_attachment(content: bytes, *, node: Node, session: Session) -> str:
    """Store a file attached to evidence, always sealed (whatever its dataset's level, so a
    level change never leaves its plaintext behind); its digest.

    The digest is of ``attachment:`` and the bytes, so an attachment never shares an object
    with a version (whose forms follow its dataset's level) even when the bytes are equal.
    """
    digest = hashlib.sha256(b"attachment:" + content).hexdigest()
    if session.get(SealedObject, digest) is None:
        _seal(digest, ATTACHMENT, node=node, session=session, content=content)
    return digest


def attachment_bytes(digest: str, *, node: Node, session: Session) -> bytes:
    """An attachment's plaintext, in memory only."""
    return sealed_object_bytes(digest, node=node, session=session)


def _session_for(version: DatasetVersion, node: Node) -> tuple[Session, bool]:
    session = object_session(version)
    return (session, False) if session is not None else (node.sessions(), True)


def sealed_table(digest: str, *, node: Node, session: Session) -> pa.Table:
    """The decrypted Parquet of a sealed object, in memory (cached by digest).

    The data key is unwrapped on every call even on a cache hit, so a removed or wrong
    master key stops reads at once.
    """
    row = session.get(SealedObject, digest)
    if row is None:
        raise CorruptObject(f"object {digest} is neither stored plain nor sealed")
    data_key = _data_key(row, master_key(node, session))
    cached = node.sealed_tables.get(digest)
    if cached is not None:
        return cached
    with node.store.sealed_path_for(digest).open("rb") as source:
        data = decrypt_bytes(
            source, data_key, object_context(digest, row.role), label=f"object {digest}"
        )
    table = pq.read_table(pa.BufferReader(data))
    node.sealed_tables.put(digest, table)
    return table


def read_parquet_table(version: DatasetVersion, *, node: Node) -> pa.Table:
    """A version's rows as an Arrow table, whether stored plain or sealed."""
    path = node.store.path_for(version.parquet_sha256)
    if path.exists():
        return pq.read_table(path)
    session, own = _session_for(version, node)
    try:
        return sealed_table(version.parquet_sha256, node=node, session=session)
    finally:
        if own:
            session.close()


def is_sealed(version: DatasetVersion, *, node: Node) -> bool:
    """True when the version's Parquet can only be read by decrypting it."""
    return not node.store.path_for(version.parquet_sha256).exists()


def parquet_source(
    version: DatasetVersion, *, node: Node, connection: Any, row_number: str | None = None
) -> str:
    """A FROM-clause source for the version's rows on ``connection`` (a DuckDB cursor).

    Plain: ``read_parquet`` over the file. Sealed: the decrypted Arrow table registered on
    this cursor only (it goes with the cursor). ``row_number`` adds the file row number
    under that name, as ``read_parquet(..., file_row_number=true)`` does.
    """
    path = node.store.path_for(version.parquet_sha256)
    if path.exists():
        extra = ", file_row_number=true" if row_number else ""
        return f"read_parquet({duck.sql_string(str(path))}{extra})"
    table = read_parquet_table(version, node=node)
    if row_number:
        table = table.append_column(row_number, pa.array(np.arange(table.num_rows)))
    name = f"lc_sealed_{version.parquet_sha256[:16]}_{uuid.uuid4().hex[:8]}"
    connection.register(name, table)
    return duck.quote_identifier(name)


def copy_to_memory(connection: Any, query: str, options: str) -> bytes:
    """``COPY (query) TO ... (options)`` into memory instead of a file: for sealed data."""
    from fsspec.implementations.memory import MemoryFileSystem  # type: ignore[import-untyped]

    files = MemoryFileSystem()
    if "memory" not in connection.list_filesystems():
        try:
            connection.register_filesystem(files)
        except Exception:  # another thread registered it first
            if "memory" not in connection.list_filesystems():
                raise
    path = f"{MEMORY_PREFIX}{uuid.uuid4().hex}"
    try:
        connection.execute(f"COPY ({query}) TO {duck.sql_string(path)} ({options})")
        return bytes(files.cat_file(path))
    finally:
        if files.exists(path):
            files.rm_file(path)


def sealed_object_bytes(digest: str, *, node: Node, session: Session) -> bytes:
    """A sealed object's plaintext in memory (a download of a sealed Parquet)."""
    row = session.get(SealedObject, digest)
    if row is None:
        raise CorruptObject(f"object {digest} is neither stored plain nor sealed")
    data_key = _data_key(row, master_key(node, session))
    with node.store.sealed_path_for(digest).open("rb") as source:
        context = object_context(digest, row.role)
        return decrypt_bytes(source, data_key, context, label=f"object {digest}")


def version_parquet_bytes(version: DatasetVersion, *, node: Node) -> bytes:
    return _version_object_bytes(version, version.parquet_sha256, node=node)


def original_bytes(version: DatasetVersion, *, node: Node) -> bytes:
    """A sealed version's original upload, decrypted in memory."""
    return _version_object_bytes(version, version.sha256, node=node)


def _version_object_bytes(version: DatasetVersion, digest: str, *, node: Node) -> bytes:
    session, own = _session_for(version, node)
    try:
        return sealed_object_bytes(digest, node=node, session=session)
    finally:
        if own:
            session.close()
