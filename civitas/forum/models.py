"""The discussion forum: topics (free-standing or about a plan or a project), threaded posts,
followers, flags and moderation. Citizens' monitoring of projects uses the same posts: a
comment on progress, an issue report with a photo, and the project manager's public answer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.core.models import Municipality
from civitas.plans.models import Plan
from civitas.projects.models import Project


class Topic(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    plan = models.ForeignKey(Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="topics")
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="topics"
    )
    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.SET_NULL, null=True, blank=True, related_name="topics"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(null=True, blank=True, db_index=True)
    post_count = models.PositiveIntegerField(default=0)
    is_locked = models.BooleanField(_("closed for new posts"), default=False)

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.title


class PostKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    ISSUE = "issue", _("Issue report")
    OFFICIAL = "official", _("Official answer")


class PostState(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden by a moderator")
    REMOVED = "removed", _("Removed at the author's request")


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=PostKind.choices, default=PostKind.COMMENT)
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(editable=False)
    photo = models.FileField(_("photo"), upload_to="forum/%Y/", blank=True, db_index=True)
    state = models.CharField(max_length=20, choices=PostState.choices, default=PostState.VISIBLE)
    hidden_reason = models.CharField(_("public reason for hiding"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["topic", "created_at"])]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return f"{self.topic_id}/{self.pk}"


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="follow_unique")]

    def __str__(self):
        return f"{self.user_id} → {self.topic_id}"


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="flag_once_per_person")]

    def __str__(self):
        return self.reason


class ModerationAction(models.Model):
    """The moderation log: every hide, restore, block, unblock and refused flood, with its reason."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20)
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
