"""django-tasks-db's ``db_worker``, with a worker named after its machine and process, which first
queues again the tasks that this machine's dead workers left running (civitas.core.workers).
Civitas's core app comes before django_tasks_db in INSTALLED_APPS, so this command is the one run."""

from django_tasks_db.management.commands import db_worker

from civitas.core import workers


class Command(db_worker.Command):
    help = db_worker.Command.help + " (tasks left running by this machine's dead workers are run again)"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=workers.worker_id())

    def handle(self, *args, **options) -> None:
        requeued = workers.requeue_orphaned_tasks()
        if requeued:
            self.stdout.write(f"{requeued} task(s) left running by a dead worker queued again.")
        super().handle(*args, **options)
