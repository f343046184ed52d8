"""The forum's background work: e-mail to a topic's followers, run by django-tasks (inline in the
embedded default, by a task worker where one is configured) once the post is committed. A mail
server that fails is logged and the e-mail queued again later for those who did not get it
(civitas.core.mail)."""

from django_tasks import task

from civitas.core import mail

from . import notifications


@task()
def notify_followers(post_id: int, attempt: int = 1, recipients: list[int] | None = None) -> int:
    return mail.send_or_retry(
        task=notify_followers, args=(post_id,), attempt=attempt, recipients=recipients,
        send=lambda pending: notifications.notify_followers(post_id=post_id, pending=pending),
        description=f"the notification of forum post {post_id}",
    )  # fmt: skip
