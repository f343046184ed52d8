"""The consultations' background work, run by django-tasks once the change has committed."""

from django_tasks import task


@task()
def notify_answers(consultation_id: int) -> int:
    from . import services

    return services.answers_notify(consultation_id=consultation_id)
