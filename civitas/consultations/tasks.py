"""The consultations' background work, run by django-tasks once the change has committed. A mail
server that fails is logged and the e-mail queued again later (civitas.core.mail)."""

from django_tasks import task


@task()
def notify_answers(consultation_id: int, attempt: int = 1) -> int:
    from civitas.core import mail

    from . import services

    return mail.send_or_retry(
        task=notify_answers, args=(consultation_id,), attempt=attempt,
        send=lambda: services.answers_notify(consultation_id=consultation_id),
        description=f"the answers of consultation {consultation_id}",
    )  # fmt: skip
