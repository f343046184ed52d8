"""Tasks left running by a task worker that died are queued again by the next worker started on
the same machine (core.workers, run by ``manage.py db_worker``)."""

import subprocess
import sys

import pytest
from django.core.management import get_commands
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

from civitas.core import workers
from civitas.core.management.commands import db_worker


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _running(worker: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), run_after=timezone.now(),
        args_kwargs={"args": [1], "kwargs": {}}, backend_name="default",
        task_path="civitas.indicators.tasks.run_measurement_import", worker_ids=[worker],
    )  # fmt: skip


def test_a_worker_is_named_after_its_machine_and_process():
    name = workers.worker_id()
    host, pid, _random = name.split(":")
    assert host == workers.host_name() and int(pid) > 0 and len(name) <= 64


@pytest.mark.django_db
def test_the_tasks_of_a_dead_worker_of_this_machine_are_queued_again_once():
    dead = _running(workers.worker_id(pid=_dead_pid()))
    alive = _running(workers.worker_id())  # this process: alive
    elsewhere = _running(f"other-machine:{_dead_pid()}:abcdefgh")
    unnamed = _running("a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4")  # a worker Civitas did not name
    assert workers.requeue_orphaned_tasks() == 1
    states = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert states[dead.pk] == TaskResultStatus.READY
    assert {states[t.pk] for t in (alive, elsewhere, unnamed)} == {TaskResultStatus.RUNNING}
    assert DBTaskResult.objects.ready().filter(pk=dead.pk).exists()  # a worker takes it again
    assert workers.requeue_orphaned_tasks() == 0  # a second worker starting finds nothing to do


def test_db_worker_is_civitas_s_command():
    assert get_commands()["db_worker"] == "civitas.core"


@pytest.mark.django_db
def test_the_worker_waits_for_the_database_and_requeues_the_task_it_was_running(monkeypatch):
    """A database restart used to end db_worker (django-tasks-db re-raises the error): Civitas's
    waits, and the task it held when the database went away runs again."""
    me = workers.worker_id()
    held = _running(me)
    calls = []

    def handle(self, *args, **options):
        calls.append(options["worker_id"])
        if len(calls) == 1:
            raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(upstream.Command, "handle", handle)
    monkeypatch.setattr(db_worker, "RETRY_SECONDS", 0)
    monkeypatch.setattr(db_worker.connections, "close_all", lambda: None)  # keep the test's connection
    db_worker.Command().handle(worker_id=me)
    assert calls == [me, me]  # ran again after the outage
    held.refresh_from_db()
    assert held.status == TaskResultStatus.READY
