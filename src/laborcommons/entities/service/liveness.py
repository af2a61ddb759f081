"""Whether the process running a link job is still there, so a killed job does not stay
``running`` forever: it is ended as ``failed`` (and may be started again) once its process
is gone.

A job records its worker (pid, and the host with its boot id, so a reboot or another
machine is told apart) and a heartbeat that moves with its progress. On the worker's own
host the pid answers; from another host only the heartbeat can, after ``STALE_AFTER``.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from pathlib import Path

from laborcommons.core.db import utcnow
from laborcommons.entities.models import LinkJob

STALE_AFTER = timedelta(hours=1)
GONE = "the process running this job stopped; start it again"
BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def worker_host() -> str:
    """This machine and boot: a pid is only meaningful within one of them."""
    try:
        boot = BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        boot = ""
    return f"{socket.gethostname()}/{boot}"[:300]


def claim(job: LinkJob) -> None:
    """Mark the job as run by this process, beating now."""
    job.worker_pid, job.worker_host, job.heartbeat_at = os.getpid(), worker_host(), utcnow()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def worker_gone(job: LinkJob) -> bool:
    """A running job whose process is known dead here, or whose heartbeat is stale."""
    if job.status != "running":
        return False
    if job.worker_pid is not None and job.worker_host == worker_host():
        return not _pid_alive(job.worker_pid)
    return job.heartbeat_at is None or utcnow() - job.heartbeat_at > STALE_AFTER


def end_if_gone(job: LinkJob) -> bool:
    """End a job whose worker is gone as failed (in the caller's transaction)."""
    if not worker_gone(job):
        return False
    job.status, job.error, job.finished_at = "failed", GONE, utcnow()
    return True
