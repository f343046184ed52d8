"""Background tasks of the indicators app (django-tasks; inline in the embedded default)."""

import datetime

from django_tasks import task

from . import services


@task()
def send_reminder(municipality_id: int, owner_id: int, day: str) -> bool:
    """E-mail one indicator owner their reporting reminder for ``day`` (ISO date), once."""
    return services.reminder_deliver(
        municipality_id=municipality_id, owner_id=owner_id, day=datetime.date.fromisoformat(day)
    )


@task()
def run_measurement_import(job_id: int) -> str:
    """Import a large measurements file (imports.import_job_run); returns the job's final state."""
    from . import imports

    return imports.import_job_run(job_id=job_id)
