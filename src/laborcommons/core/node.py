"""A running node: settings plus the engine, session factory and object store built from them."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from laborcommons.core import duck
from laborcommons.core.crypto import MasterKey, read_key_file
from laborcommons.core.db import make_engine, make_session_factory
from laborcommons.core.leftovers import ProcessClaim, others_running, sweep_leftovers
from laborcommons.core.private import (
    FILE_MODE,
    make_private_dir,
    make_private_file,
    open_private,
    tighten,
)
from laborcommons.core.settings import Settings
from laborcommons.core.store import ObjectStore


class PageCache:
    """A small thread-safe LRU of query results over immutable versions."""

    def __init__(self, size: int, sizeof: Callable[[Any], float] | None = None) -> None:
        self._cache: LRUCache[Hashable, Any] = LRUCache(maxsize=size, getsizeof=sizeof)
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            return self._cache.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            if self._cache.getsizeof(value) <= self._cache.maxsize:  # else: too big to keep
                self._cache[key] = value

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()


NODE_INFO = "laborcommons.node"


@dataclass
class Node:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore
    secret_key: str = field(repr=False)
    claim: ProcessClaim | None = field(default=None, repr=False)
    row_pages: PageCache = field(default_factory=lambda: PageCache(256), repr=False)
    sealed_tables: PageCache = field(default_factory=lambda: PageCache(0), repr=False)
    _duck: Any = field(default=None, repr=False)
    _duck_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def tmp_dir(self) -> Path:
        """This node's own temp directory (``tmp/<token>``): a sweep knows whose it is."""
        if self.claim is None:
            return self.settings.tmp_dir
        return make_private_dir(self.settings.tmp_dir / self.claim.token)

    def others_running(self) -> bool:
        """Whether another node (this process or another) has the home open."""
        return others_running(self.settings.home, own=self.claim.token if self.claim else None)

    def sweep_leftovers(self) -> int:
        """Remove temp, staging and partial files that nodes now gone left behind."""
        own = self.claim.token if self.claim else None
        settings = self.settings
        return sweep_leftovers(settings.home, settings.objects_dir, settings.tmp_dir, own=own)

    def master_key(self) -> MasterKey:
        """Read on each use (a few microseconds), so a rotated or removed key file counts
        at once; a missing or malformed file raises ``KeyUnavailable``."""
        return read_key_file(self.settings.key_file)

    def duck_cursor(self) -> Any:
        """A cursor on the node's one DuckDB connection: a new connection costs ~13 ms,
        a cursor microseconds, and each cursor is safe to use from its own thread."""
        with self._duck_lock:
            if self._duck is None:
                self._duck = duck.connect(threads=4, memory_limit="1GB")
            return self._duck.cursor()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.claim is not None:
            for own in (self.settings.tmp_dir, self.settings.objects_dir / "staging"):
                shutil.rmtree(own / self.claim.token, ignore_errors=True)
            self.claim.release()
        with self._duck_lock:
            if self._duck is not None:
                self._duck.close()
                self._duck = None


def secret_key_for(home: Path) -> str:
    """The signing key for session cookies lives in the node's home, never in the database."""
    path = home / "secret_key"
    if not path.exists():
        import secrets

        make_private_dir(home)
        with open_private(path) as handle:
            handle.write(secrets.token_urlsafe(48).encode("ascii"))
    tighten(path, FILE_MODE)
    return path.read_text().strip()


def prepare_home(settings: Settings) -> None:
    """The home and its parts readable by the node's owner only (0700 / 0600).

    The SQLite file is made before SQLite makes it, so it is never world-readable, not
    even between its creation and the first start; its journals take its mode.
    """
    for directory in (settings.home, settings.tmp_dir, settings.objects_dir):
        make_private_dir(directory)
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = Path(str(url.database))
        make_private_dir(database.parent)
        make_private_file(database)
        for journal in ("-wal", "-shm"):
            side = database.with_name(database.name + journal)
            if side.exists():
                tighten(side, FILE_MODE)


def open_node(settings: Settings) -> Node:
    """Build a node's handles; the database must already be migrated (``laborcommons init``).

    Opening a node removes what crashed nodes left in transit (see ``core.leftovers``).
    """
    prepare_home(settings)
    engine = make_engine(settings.resolved_database_url)
    claim = ProcessClaim(settings.home / "run")
    node = Node(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        store=ObjectStore(settings.objects_dir, token=claim.token),
        secret_key=secret_key_for(settings.home),
        sealed_tables=PageCache(settings.sealed_cache_bytes, sizeof=lambda t: t.nbytes or 1),
        claim=claim,
    )
    node.sweep_leftovers()
    # Services that change what must be encrypted (a dataset's level) find the node here,
    # so their callers keep passing only a session.
    node.sessions.configure(info={NODE_INFO: node})
    return node


def node_of(session: Session) -> Node:
    """The node whose session factory made ``session``."""
    node = session.info.get(NODE_INFO)
    if not isinstance(node, Node):
        raise RuntimeError("this session was not made by a node's session factory")
    return node
