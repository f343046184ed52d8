"""Reads of the forum for pages, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from civitas.consultations.models import Consultation, ConsultationStatus
from civitas.core.models import Block
from civitas.core.selectors import FileAccess, strictest
from civitas.plans.models import PUBLIC_PLAN_STATUSES, Plan
from civitas.projects.models import Project

from . import policy
from .models import Flag, Follow, ModerationAction, Post, PostState, Topic


@dataclass
class PostNode:
    post: Post
    replies: list["PostNode"] = field(default_factory=list)


def topic_list(*, municipality, project=None, plan=None, consultation=None):
    """The municipality's topics (every municipality's when None, for the API), the latest
    discussed first, with what they are about: one query."""
    qs = Topic.objects.select_related("plan", "project", "consultation")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if project is not None:
        qs = qs.filter(project=project)
    if consultation is not None:
        qs = qs.filter(consultation=consultation)
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.order_by("-last_post_at", "-pk")


def thread(topic: Topic) -> list[PostNode]:
    """The topic's posts as a tree of replies, oldest first: one query."""
    posts = list(
        Post.objects.filter(topic=topic).select_related("author__profile").order_by("created_at", "pk")
    )
    nodes = {post.pk: PostNode(post) for post in posts}
    roots: list[PostNode] = []
    for node in nodes.values():
        parent = nodes.get(node.post.parent_id) if node.post.parent_id is not None else None
        (parent.replies if parent else roots).append(node)
    return roots


def visible_posts(topic: Topic) -> list[Post]:
    """The topic's posts that anyone may read (none hidden by a moderator or removed), oldest
    first, with their authors' public names: one query."""
    return list(
        Post.objects.filter(topic=topic, state=PostState.VISIBLE)
        .select_related("author__profile")
        .order_by("created_at", "pk")
    )


@dataclass
class Subjects:
    """What a new topic is about, as named in its page's address: a public plan, a project, a
    consultation that is not a draft (each None if not named or not found)."""

    plan: Plan | None = None
    project: Project | None = None
    consultation: Consultation | None = None


def topic_subjects(*, municipality, plan: str = "", project: str = "", consultation: str = "") -> Subjects:
    """The subjects named by their address names; a draft plan or consultation is not public, so
    no topic is started on it. Three queries at most."""
    subjects = Subjects()
    if plan:
        plans = Plan.objects.filter(municipality=municipality, slug=plan, status__in=PUBLIC_PLAN_STATUSES)
        subjects.plan = plans.first()
    if project:
        subjects.project = Project.objects.filter(municipality=municipality, slug=project).first()
    if consultation:
        consultations = Consultation.objects.filter(municipality=municipality, slug=consultation)
        subjects.consultation = consultations.exclude(status=ConsultationStatus.DRAFT).first()
    return subjects


def is_following(user, topic: Topic) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and Follow.objects.filter(user=user, topic=topic).exists()
    )


def moderation_queue(*, municipality):
    """Posts with open flags, most flagged first."""
    return (
        Post.objects.filter(topic__municipality=municipality, flags__resolved=False)
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved=False)))
        .select_related("topic", "author")
        .order_by("-open_flags", "-created_at")
        .distinct()
    )


def open_flags(posts) -> dict[int, list[Flag]]:
    by_post: dict[int, list[Flag]] = {}
    for flag in Flag.objects.filter(post__in=posts, resolved=False).order_by("created_at"):
        by_post.setdefault(flag.post_id, []).append(flag)
    return by_post


def moderation_log(*, municipality, limit: int = 50):
    log = ModerationAction.objects.filter(municipality=municipality).select_related("moderator", "user")
    return log[:limit]


def blocked_users(*, municipality):
    return Block.objects.filter(municipality=municipality).select_related("user").order_by("-created_at")


def municipality_ids_of_author(user) -> set[int]:
    """The municipalities in whose forum the person has written (their name is shown there)."""
    return set(Post.objects.filter(author=user).values_list("topic__municipality_id", flat=True).distinct())


def personal_data(user) -> dict:
    """A person's forum contributions, for the download of their data (GDPR art. 15 and 20)."""
    return {
        "topics_started": [
            {"municipality": t.municipality.slug, "title": t.title, "created_at": t.created_at.isoformat()}
            for t in Topic.objects.filter(author=user).select_related("municipality").order_by("created_at")
        ],
        "posts": [
            {
                "topic": p.topic.title,
                "text": p.body,
                "kind": p.kind,
                "state": p.state,
                "photo": p.photo.name or None,
                "created_at": p.created_at.isoformat(),
            }
            for p in Post.objects.filter(author=user).select_related("topic").order_by("created_at")
        ],  # fmt: skip
        "following": [f.topic.title for f in Follow.objects.filter(user=user).select_related("topic")],
        "flags": [
            {"post": f.post_id, "reason": f.reason, "created_at": f.created_at.isoformat()}
            for f in Flag.objects.filter(reporter=user).order_by("created_at")
        ],
    }


def photo_access(user, name: str):
    """Who may download the uploaded file ``name`` if forum posts store it as their photo (None:
    none does): anyone while its post is visible; the municipality's moderators always. One
    indexed query."""
    if not name:  # an empty name is every post without a photo
        return None

    def access(post: Post) -> FileAccess:
        if post.state == PostState.VISIBLE:
            return FileAccess.PUBLIC
        if policy.can_moderate(user, post.topic.municipality):
            return FileAccess.PRIVATE
        return FileAccess.DENIED

    return strictest(
        access(post)
        for post in Post.objects.filter(photo=name).order_by().select_related("topic__municipality")
    )


def moderation_count(*, municipality) -> int:
    """How many posts wait for a moderator (the ``moderation_queue``'s length): one query."""
    return (
        Post.objects.filter(topic__municipality=municipality, flags__resolved=False)
        .values("pk")
        .distinct()
        .count()
    )
