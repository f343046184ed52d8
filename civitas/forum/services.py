"""Every write to the forum: topics, posts (with flood limits), follows, flags and moderation,
each checking the forum's policy first, whoever calls it. Notifications to followers are sent
after the transaction commits (tasks.py, notifications.py).

Slow work (rendering Markdown, re-encoding a photo) is done before the write transaction opens:
on SQLite a transaction holds the database's only write lock, and everyone else's saves wait."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.consultations import services as consultation_services
from civitas.consultations.models import Consultation
from civitas.core import content, text, throttle, uploads
from civitas.core.content import Content
from civitas.core.models import Block, Municipality
from civitas.core.policy import person
from civitas.core.services import audit_record

from . import markup, policy, tasks
from .models import Flag, Follow, ModerationAction, Post, PostKind, PostState, Topic

MAX_BODY = 10_000
POST_LIMIT = (5, 60)  # posts per person per minute
ADDRESS_LIMIT = (20, 600)  # posts per network address per 10 minutes


def _check_flood(*, user, municipality: Municipality, address: str) -> None:
    """Refuse a post beyond the limits per person and per address, and log the refusal (call it
    outside the write transaction, so that the log entry stays)."""
    if not (
        throttle.hit(f"post:user:{user.pk}", limit=POST_LIMIT[0], window=POST_LIMIT[1])
        and throttle.hit(f"post:addr:{address}", limit=ADDRESS_LIMIT[0], window=ADDRESS_LIMIT[1])
    ):
        ModerationAction.objects.create(
            municipality=municipality, moderator=None, action="flood_refused", user=user,
            reason=f"address {address}",
        )  # fmt: skip
        raise ValidationError({"body": [_("You are posting too fast: wait a minute and try again.")]})


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write something first.")]})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": [_("A post can be at most %(max)s characters long.") % {"max": MAX_BODY}]}
        )
    return body


def topic_create(
    *,
    actor,
    municipality: Municipality,
    title: str,
    body: str,
    plan=None,
    project=None,
    consultation=None,
    address: str = "",
) -> Topic:
    policy.require_take_part(actor, municipality)
    title = text.one_line(title)
    if not title:
        raise ValidationError({"title": [_("Give the topic a title.")]})
    body = _check_body(body)
    for subject in (plan, project, consultation):
        if subject is not None and subject.municipality_id != municipality.pk:
            raise ValidationError({"title": [_("The subject belongs to another municipality.")]})
    # Outside the transaction, so that a refused flood stays in the moderation log.
    _check_flood(user=actor, municipality=municipality, address=address)
    post = _prepare_post(actor=actor, body=body, parent=None, kind=PostKind.COMMENT)
    return _topic_write(
        actor=actor, municipality=municipality, title=title, post=post, plan=plan, project=project,
        consultation=consultation,
    )  # fmt: skip


@transaction.atomic
def _topic_write(*, actor, municipality, title, post: Post, plan, project, consultation) -> Topic:
    topic = Topic.objects.create(
        municipality=municipality, title=title[:200], plan=plan, project=project, consultation=consultation,
        author=actor,
    )  # fmt: skip
    _save_post(post=post, topic=topic)
    Follow.objects.get_or_create(user=actor, topic=topic)
    # A plan's or project's page links to its discussion.
    changed = (Content.PARTICIPATION, Content.PLANNING) if plan or project else (Content.PARTICIPATION,)
    content.changed(municipality, *changed)
    audit_record(actor=actor, municipality=municipality, action="create", obj=topic)
    return topic


def _prepare_post(*, actor, body: str, parent, kind, photo=None) -> Post:
    """The post, rendered and with its photo re-encoded and stored, not yet saved: the slow part,
    run before the write transaction."""
    post = Post(parent=parent, author=actor, body=body, body_html=markup.render(body), kind=kind)
    if photo is not None:
        stored, _content_type, _size = uploads.check_upload(photo, photo=True)
        post.photo.save(stored.name or "", stored, save=False)
    return post


def _discard_photo(post: Post) -> None:
    """A photo stored for a post that was not saved after all."""
    if post.photo.name:
        post.photo.storage.delete(post.photo.name)


def _save_post(*, post: Post, topic: Topic) -> Post:
    post.topic = topic
    post.save()
    Topic.objects.filter(pk=topic.pk).update(post_count=F("post_count") + 1, last_post_at=timezone.now())
    return post


def post_create(
    *, actor, topic: Topic, body: str, parent: Post | None = None, kind: str = PostKind.COMMENT, photo=None,
    address: str = "",
    notify: bool = True,
) -> Post:  # fmt: skip
    """A reply (or, on a project's topic, an issue report with an optional photo, or the project
    manager's official answer)."""
    policy.require_take_part(actor, topic.municipality)
    if kind == PostKind.OFFICIAL:
        policy.require_answer_officially(actor, topic.municipality)
    body = _check_body(body)
    if topic.is_locked:
        raise ValidationError({"body": [_("This topic is closed for new posts.")]})
    if parent is not None and parent.topic_id != topic.pk:
        raise ValidationError({"body": [_("You can only reply to a post of the same topic.")]})
    if kind not in PostKind.values:
        raise ValidationError({"kind": [_("Unknown kind of post.")]})
    if kind == PostKind.ISSUE and topic.project_id is None:
        raise ValidationError({"kind": [_("Issues are reported on a project's discussion.")]})
    # Outside the transaction, so that a refused flood stays in the moderation log.
    _check_flood(user=actor, municipality=topic.municipality, address=address)
    post = _prepare_post(actor=actor, body=body, parent=parent, kind=kind, photo=photo)
    try:
        return _post_write(actor=actor, topic=topic, post=post, notify=notify)
    except BaseException:
        _discard_photo(post)
        raise


@transaction.atomic
def _post_write(*, actor, topic, post: Post, notify) -> Post:
    _save_post(post=post, topic=topic)
    Follow.objects.get_or_create(user=actor, topic=topic)
    content.changed(topic.municipality, Content.PARTICIPATION)
    audit_record(actor=actor, municipality=topic.municipality, action="create", obj=post)
    if notify:
        transaction.on_commit(lambda: tasks.notify_followers.enqueue(post.pk))
    return post


@transaction.atomic
def topic_follow(*, actor, topic: Topic, follow: bool = True) -> None:
    """Follow a topic (its new posts are e-mailed) or stop following it. Following changes nothing
    the public sees."""
    if follow:
        policy.require_take_part(actor, topic.municipality)
        Follow.objects.get_or_create(user=actor, topic=topic)
    else:
        policy.require_signed_in(actor)  # someone blocked can still stop the e-mails
        Follow.objects.filter(user=actor, topic=topic).delete()


@transaction.atomic
def post_flag(*, actor, post: Post, reason: str) -> Flag:
    """Ask the moderators to look at a post; the public sees nothing of it."""
    policy.require_take_part(actor, post.topic.municipality)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say what is wrong with the post.")]})
    try:
        with transaction.atomic():
            return Flag.objects.create(post=post, reporter=actor, reason=reason[:300])
    except IntegrityError:
        raise ValidationError({"reason": [_("You have already flagged this post.")]}) from None


@transaction.atomic
def post_hide(*, actor, post: Post, reason: str) -> Post:
    municipality = post.topic.municipality
    policy.require_moderate(actor, municipality)
    if post.state == PostState.REMOVED:
        raise ValidationError(
            {"reason": [_("The post was removed at its author's request: there is nothing to hide.")]}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the public reason for hiding the post.")]})
    post.state, post.hidden_reason = PostState.HIDDEN, reason[:300]
    post.save(update_fields=["state", "hidden_reason"])
    post.flags.update(resolved=True)
    ModerationAction.objects.create(municipality=municipality, moderator=person(actor), action="hide", post=post,
                                    user=post.author, reason=reason[:300])  # fmt: skip
    content.changed(municipality, Content.PARTICIPATION)
    audit_record(actor=actor, municipality=municipality, action="hide", obj=post, changes={"reason": reason})
    return post


@transaction.atomic
def posts_remove_by_author(*, actor, user) -> int:
    """Remove the text and photos of a person's posts at their request (erasure of their account,
    GDPR art. 17): the posts stay in their threads, so replies keep their place, shown as removed
    at the author's request. The removal is recorded per municipality, without the removed text."""
    policy.require_own_account(actor, user)
    posts = list(Post.objects.filter(author=user).exclude(state=PostState.REMOVED).select_related("topic"))
    photos = [post.photo.name for post in posts if post.photo.name]
    by_municipality: dict[int, list[int]] = {}
    for post in posts:
        by_municipality.setdefault(post.topic.municipality_id, []).append(post.pk)
    Post.objects.filter(pk__in=[post.pk for post in posts]).update(
        body="", body_html="", photo="", hidden_reason="", state=PostState.REMOVED
    )
    for municipality_id, ids in by_municipality.items():
        municipality = Municipality.objects.get(pk=municipality_id)
        content.changed(municipality, Content.PARTICIPATION)
        audit_record(
            actor=actor, municipality=municipality, action="remove_posts_on_request", obj=user,
            changes={"posts": ids},
        )  # fmt: skip
    if photos:
        storage = Post._meta.get_field("photo").storage

        def delete_photos() -> None:
            for name in photos:
                storage.delete(name)

        transaction.on_commit(delete_photos)
    return len(posts)


@transaction.atomic
def post_restore(*, actor, post: Post) -> Post:
    municipality = post.topic.municipality
    policy.require_moderate(actor, municipality)
    if post.state != PostState.HIDDEN:
        raise ValidationError(_("Only a hidden post can be restored."))
    post.state, post.hidden_reason = PostState.VISIBLE, ""
    post.save(update_fields=["state", "hidden_reason"])
    post.flags.update(resolved=True)
    ModerationAction.objects.create(municipality=municipality, moderator=person(actor), action="restore", post=post,
                                    user=post.author)  # fmt: skip
    content.changed(municipality, Content.PARTICIPATION)
    audit_record(actor=actor, municipality=municipality, action="restore", obj=post)
    return post


@transaction.atomic
def user_block(
    *, actor, municipality: Municipality, user, reason: str, block: bool = True,
    consultation: Consultation | None = None,
) -> None:  # fmt: skip
    """Block a person from taking part in the municipality's forum and consultations (or lift the
    block), logged in the forum's moderation log; when the moderator blocks the author of a
    proposal from a consultation's moderation page (``consultation``), in that consultation's log
    too. A block changes nothing the public sees."""
    policy.require_moderate(actor, municipality)
    if consultation is not None and consultation.municipality_id != municipality.pk:
        raise ValidationError(_("The subject belongs to another municipality."))
    if block:
        if not (reason or "").strip():
            raise ValidationError({"reason": [_("Give the reason for blocking.")]})
        Block.objects.get_or_create(municipality=municipality, user=user, defaults={"reason": reason[:300]})
    else:
        Block.objects.filter(municipality=municipality, user=user).delete()
    ModerationAction.objects.create(municipality=municipality, moderator=person(actor), action="block" if block else "unblock",
                                    user=user, reason=(reason or "")[:300])  # fmt: skip
    audit_record(actor=actor, municipality=municipality, action="block" if block else "unblock", obj=user)
    if consultation is not None and block:
        consultation_services.block_record(actor=actor, consultation=consultation, user=user, reason=reason)
