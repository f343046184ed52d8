"""The consultations' background work, run by django-tasks once the change has committed. A mail
server that fails is logged and the e-mail queued again later for those who did not get it
(civitas.core.mail)."""

from django_tasks import task

from civitas.core import mail

from . import notifications


@task()
def notify_answers(consultation_id: int, attempt: int = 1, recipients: list[int] | None = None) -> int:
    return mail.send_or_retry(
        task=notify_answers, args=(consultation_id,), attempt=attempt, recipients=recipients,
        send=lambda pending: notifications.answers_notify(consultation_id=consultation_id, pending=pending),
        description=f"the answers of consultation {consultation_id}",
    )  # fmt: skip
