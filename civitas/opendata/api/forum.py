"""The discussion forum as the portal shows it: topics, and on one its posts that anyone may read
(a post hidden by a moderator or removed at its author's request is left out). Authors appear by
their public display name, as on the topic's page."""

from datetime import datetime

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from civitas.forum import selectors
from civitas.forum.models import Post, Topic

from .base import READ_ERRORS, Page, page, strict_query
from .listing import absolute, file_url, municipality_param, since_param

router = Router()


class TopicOut(Schema):
    id: int
    municipality: str
    url: str
    web_url: str
    title: str
    plan: str | None
    project: str | None
    consultation: str | None
    created_at: datetime
    last_post_at: datetime | None
    post_count: int
    is_locked: bool


class PostOut(Schema):
    id: int
    web_url: str
    parent_id: int | None
    kind: str
    author: str
    created_at: datetime
    body: str
    body_html: str
    photo_url: str | None


class TopicDetailOut(TopicOut):
    posts: list[PostOut]


def author_name(post: Post) -> str:
    """The author as the topic's page names them: their display name, else their user name."""
    user = post.author
    if user is None:
        return _("Deleted user")
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.username


def topic_out(request: HttpRequest, topic: Topic) -> dict:
    slug = topic.municipality.slug
    consultation = topic.consultation
    return {
        "id": topic.pk,
        "municipality": slug,
        "url": absolute(request, "api:topic", topic.pk),
        "web_url": absolute(request, "forum:topic", slug, topic.pk),
        "title": topic.title,
        "plan": topic.plan.slug if topic.plan and topic.plan.is_public else None,
        "project": topic.project.slug if topic.project else None,
        "consultation": consultation.slug if consultation and consultation.is_public else None,
        "created_at": topic.created_at,
        "last_post_at": topic.last_post_at,
        "post_count": topic.post_count,
        "is_locked": topic.is_locked,
    }


def post_out(request: HttpRequest, topic: Topic, post: Post) -> dict:
    return {
        "id": post.pk,
        "web_url": absolute(request, "forum:topic", topic.municipality.slug, topic.pk) + f"#post-{post.pk}",
        "parent_id": post.parent_id,
        "kind": post.kind,
        "author": author_name(post),
        "created_at": post.created_at,
        "body": post.body,
        "body_html": post.body_html,
        "photo_url": file_url(request, post.photo),
    }


def _topics():
    return selectors.topic_list(municipality=None).select_related("municipality")


@router.get("", response={200: Page[TopicOut], **READ_ERRORS}, url_name="topics")
def topics(request: HttpRequest, municipality: str | None = None, updated_since: str | None = None):
    """The forum's topics. Filters: ``municipality`` (its address name), ``updated_since`` (ISO
    8601: topics started or posted in since then)."""
    strict_query(request, "municipality", "updated_since")
    town = municipality_param(municipality)
    since = since_param(updated_since)
    found = _topics()
    if town is not None:
        found = found.filter(municipality=town)
    if since:
        found = found.filter(Q(last_post_at__gte=since) | Q(created_at__gte=since))
    return page(request, found, lambda topic: topic_out(request, topic))


@router.get("/{pk}", response={200: TopicDetailOut, **READ_ERRORS}, url_name="topic")
def topic(request: HttpRequest, pk: int):
    """One topic with its visible posts, oldest first (``parent_id`` names the post replied to)."""
    strict_query(request)
    found = _topics().filter(pk=pk).first()
    if found is None:
        raise Http404("No such topic")
    return topic_out(request, found) | {
        "posts": [post_out(request, found, post) for post in selectors.visible_posts(found)]
    }
