"""Background task workers that die without a word (killed, out of memory, the machine restarted)
leave their task "running" for ever: django-tasks-db never hands it out again. Civitas names each
worker after its machine and process (``worker_id``), and a worker starting on a machine first puts
back in the queue the tasks of that machine's workers that are gone (``requeue_orphaned_tasks``),
so that they run again. Every Civitas task may run twice: each checks what was already done.

A worker also outlives a database restart: when the database stops answering it waits and tries
again, and queues again the task it was running then (``requeue_tasks_of``).

``manage.py db_worker`` does all this (core/management/commands/db_worker.py)."""

import logging
import os
import socket
from pathlib import Path

from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

SEPARATOR = ":"


def host_name() -> str:
    return socket.gethostname()[:40] or "localhost"


def worker_id(pid: int | None = None) -> str:
    """``host:pid:random`` (at most 64 characters, django-tasks-db's limit): which machine and
    process run a task, so that a worker of the same machine can tell whether that one is gone."""
    return SEPARATOR.join([host_name(), str(pid or os.getpid()), get_random_string(8)])


def _worker_alive(pid: int) -> bool:
    """Whether process ``pid`` of this machine is still a task worker."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive, and not ours to judge
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc to tell a reused process number from the worker: alive
    return b"db_worker" in command


def _dead_worker_of_this_host(worker_ids: list) -> bool:
    if not worker_ids:
        return False
    host, _sep, rest = str(worker_ids[-1]).partition(SEPARATOR)
    pid = rest.partition(SEPARATOR)[0]
    if host != host_name() or not pid.isdigit():
        return False  # another machine's worker, or one not named by Civitas: left alone
    return not _worker_alive(int(pid))


def requeue_orphaned_tasks() -> int:
    """Put back in the queue the running tasks whose worker, on this machine, is gone; returns how
    many. The update names the task's state and workers as read, so that two workers starting at
    once requeue a task once."""
    requeued = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
        "pk", "worker_ids", "task_path"
    )
    for result in running:
        if not _dead_worker_of_this_host(result.worker_ids):
            continue
        updated = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, worker_ids=result.worker_ids
        ).update(status=TaskResultStatus.READY, started_at=None)
        if updated:
            logger.warning(
                "Task %s (%s) was left running by worker %s, which is gone: queued again",
                result.pk, result.task_path, result.worker_ids[-1],
            )  # fmt: skip
            requeued += updated
    return requeued


def requeue_tasks_of(worker: str) -> int:
    """Put back in the queue the tasks still marked running by ``worker`` (this process, after the
    database went away under it: it runs none of them any more); returns how many."""
    requeued = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("pk", "worker_ids")
    for result in running:
        if result.worker_ids and result.worker_ids[-1] == worker:
            requeued += DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING, worker_ids=result.worker_ids
            ).update(status=TaskResultStatus.READY, started_at=None)
    return requeued
