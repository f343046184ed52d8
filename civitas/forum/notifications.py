"""The forum's e-mail: a new post, to the people who follow its topic. Sent by the background task
(tasks.notify_followers) once the post is committed."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from civitas.core import mail, text

from .models import Follow, Post, PostState


def notify_followers(*, post_id: int, pending: "mail.Pending | None" = None) -> int:
    """E-mail everyone following the topic (except the author) about a new post, each in the
    language of their profile; only those in ``pending`` when it names them (a retry), and
    nobody once the post is no longer visible (hidden by a moderator or removed since it was
    queued). Raises if the mail server fails, leaving in ``pending`` those not reached."""
    pending = pending if pending is not None else mail.Pending()
    # Read when sending, not when queued: a retry comes minutes or hours later.
    post = Post.objects.select_related("topic").filter(pk=post_id, state=PostState.VISIBLE).first()
    if post is None:
        pending.keys = []
        return 0
    following = Follow.objects.filter(topic=post.topic)
    if post.author_id is not None:  # an erased author follows nothing
        following = following.exclude(user_id=post.author_id)
    followers = (
        following.exclude(user__email="")
        .order_by("pk")
        .values_list("user_id", "user__email", "user__profile__language")
    )
    if pending.keys is not None:
        followers = followers.filter(user_id__in=pending.keys)
    messages = []
    for user_id, email, language in followers:
        with translation.override(language or settings.LANGUAGE_CODE):
            # Titles stored before they were cleaned on input may still hold a line break.
            subject = _("New post in “%(topic)s”") % {"topic": text.one_line(post.topic.title)}
            body = _("There is a new post in a topic you follow:\n\n%(body)s\n") % {"body": post.body[:1000]}
        messages.append(mail.Message(key=user_id, subject=subject, body=body, address=email))
    # A failure raises: the task logs it and queues the e-mail again (civitas.core.mail).
    return mail.send_each(messages, pending=pending, description=f"the notification of forum post {post_id}")
