"""The forum's background work: e-mail to a topic's followers, run by django-tasks (inline in the
embedded default, by a task worker where one is configured) once the post is committed."""

from django_tasks import task


@task()
def notify_followers(post_id: int) -> int:
    from . import services

    return services.notify_followers(post_id=post_id)
