"""Receive an uploaded file: streamed to the node's temp dir, refused past the size limit."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import BinaryIO

from laborcommons.core.errors import PayloadTooLarge
from laborcommons.core.node import Node
from laborcommons.core.private import open_private

CHUNK = 1024 * 1024


def save_upload(stream: BinaryIO, filename: str | None, *, node: Node) -> Path:
    """Copy ``stream`` in chunks; keep the extension, since readers pick a format by it."""
    limit = node.settings.max_upload_bytes
    suffix = Path(filename or "").suffix.lower()
    suffix = suffix if suffix[1:].isalnum() else ""
    target = node.tmp_dir / f"upload-{uuid.uuid4().hex}{suffix}"
    written = 0
    try:
        with open_private(target) as out:
            while chunk := stream.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    raise PayloadTooLarge(f"{filename}: over the {limit}-byte upload limit")
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target
