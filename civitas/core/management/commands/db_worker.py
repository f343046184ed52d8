"""django-tasks-db's ``db_worker``, with a worker named after its machine and process, which first
queues again the tasks that this machine's dead workers left running, and which waits for the
database when it goes away (a restart, a fail-over) instead of exiting (civitas.core.workers).
Civitas's core app comes before django_tasks_db in INSTALLED_APPS, so this command is the one run."""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

from civitas.core import workers

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2.0


class Command(db_worker.Command):
    help = (
        db_worker.Command.help
        + " (tasks left running by a dead worker run again; database outages waited out)"
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=workers.worker_id())

    def handle(self, *args, **options) -> None:
        requeued = workers.requeue_orphaned_tasks()
        if requeued:
            self.stdout.write(f"{requeued} task(s) left running by a dead worker queued again.")
        while True:
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as error:
                logger.warning(
                    "The database is not answering (%s): trying again in %s s", error, RETRY_SECONDS
                )
            self._wait_for_database(options["worker_id"])

    def _wait_for_database(self, worker: str) -> None:
        """Until the database answers again; then the task this worker was running when it went
        away (if any) is queued again."""
        while True:
            connections.close_all()
            time.sleep(RETRY_SECONDS)
            try:
                requeued = workers.requeue_tasks_of(worker)
            except (OperationalError, InterfaceError):
                continue
            if requeued:
                logger.warning("%s task(s) interrupted by the database outage queued again", requeued)
            return
