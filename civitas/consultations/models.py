"""Public consultations on drafts: the draft's text in sections and paragraphs, proposals on a
paragraph, a section or the whole draft (from the portal, or recorded by staff from e-mail,
letters and public hearings), the official answer to each, flags and the moderation log.

The life of a consultation: draft → open (proposals accepted while the period runs) → closed
(the record of proposals is frozen; answers are still written) → report published (the table of
proposals and answers is public, and the answers are frozen too).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.core.i18n import Translated
from civitas.core.models import Municipality
from civitas.plans.models import Plan


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Report published")


FROZEN_STATUSES = (ConsultationStatus.CLOSED, ConsultationStatus.PUBLISHED)


class Consultation(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="consultations")
    slug = models.SlugField(_("address name"), max_length=80)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_bg = models.TextField(_("summary (Bulgarian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultations",
        verbose_name=_("plan under consultation"),
    )  # fmt: skip
    # The version of the plan consulted on: a draft for public consultation of the plan above.
    plan_version = models.ForeignKey(
        "plans.PlanVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="consultations",
        verbose_name=_("version of the plan consulted on"),
    )  # fmt: skip
    document = models.FileField(_("draft document"), upload_to="consultations/%Y/", blank=True, db_index=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    short_period_reason = models.TextField(_("reason for a period shorter than 30 days"), blank=True)
    premoderation = models.BooleanField(_("proposals are published only after a moderator approves them"),
                                        default=False)  # fmt: skip
    status = models.CharField(
        _("status"), max_length=20, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    report_published_at = models.DateTimeField(null=True, blank=True)
    # The council's decision that adopts the results of the consultation (after it closed).
    results_decision = models.ForeignKey(
        "council.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations_with_results",
        verbose_name=_("adopts the results of the consultation"),
    )
    is_sample = models.BooleanField(_("contains sample data"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    title = Translated()
    summary = Translated()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="consultation_slug_unique_in_municipality"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="consultation_period_order"
            ),
        ]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self):
        return self.title_bg

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.municipality.slug, self.slug])

    # How a council decision's page lists the consultation (council.selectors.decision_acts): the
    # public sees no draft.
    @classmethod
    def decision_act_queryset(cls, queryset):
        return queryset.exclude(status=ConsultationStatus.DRAFT).select_related("municipality")

    def decision_act_label(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status != ConsultationStatus.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def report_is_published(self) -> bool:
        return self.status == ConsultationStatus.PUBLISHED

    def accepts_proposals(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == ConsultationStatus.OPEN and self.opens_at <= now < self.closes_at


class Section(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"))
    heading_bg = models.CharField(_("heading (Bulgarian)"), max_length=500, blank=True)
    heading_en = models.CharField(_("heading (English)"), max_length=500, blank=True)

    heading = Translated()

    class Meta:
        ordering = ["consultation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "position"], name="consultation_section_position"
            ),
        ]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return f"{self.position}. {self.heading_bg}"


class Paragraph(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField(_("position"))
    text_bg = models.TextField(_("text (Bulgarian)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    text = Translated()

    class Meta:
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="consultation_paragraph_position"),
        ]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")

    def __str__(self):
        return self.text_bg[:60]


class Source(models.TextChoices):
    PORTAL = "portal", _("Portal")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    HEARING = "hearing", _("Public hearing")


class ProposalState(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    VISIBLE = "visible", pgettext_lazy("proposal state", "Visible")
    HIDDEN = "hidden", pgettext_lazy("proposal state", "Hidden by a moderator")


class Proposal(models.Model):
    """A comment on a paragraph or a section, or a general proposal on the whole draft."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="proposals")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.PORTAL)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitter_name = models.CharField(_("submitted by"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received on"), default=timezone.now)
    text = models.TextField(_("proposal"))
    attachment = models.FileField(
        _("attachment"), upload_to="consultations/proposals/%Y/", blank=True, db_index=True
    )
    attachment_type = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=20, choices=ProposalState.choices, default=ProposalState.VISIBLE)
    hidden_reason = models.CharField(_("public reason for hiding"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A random token of the form the proposal was sent from: sending the same form twice stores
    # one proposal.
    submission_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    is_sample = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Set by selectors.moderation_queue on the proposals it reads; not stored.
    open_flags: list["Flag"]

    class Meta:
        ordering = ["consultation", "received_at", "pk"]
        indexes = [models.Index(fields=["consultation", "state"])]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "submission_key"], name="proposal_sent_once"),
            models.CheckConstraint(
                condition=models.Q(paragraph__isnull=True) | models.Q(section__isnull=False),
                name="proposal_paragraph_has_section",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=ProposalState.HIDDEN) | models.Q(hidden_reason__gt=""),
                name="proposal_hidden_has_reason",
            ),
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self):
        return f"{self.consultation_id}/{self.pk}"

    @property
    def target(self) -> str:
        if self.paragraph_id:
            return "paragraph"
        return "section" if self.section_id else "general"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Answer(models.Model):
    """The municipality's official answer to one proposal (one per proposal)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="answer")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reasons_bg = models.TextField(_("reasons (Bulgarian)"), blank=True)
    reasons_en = models.TextField(_("reasons (English)"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    reasons = Translated()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision=Decision.ACCEPTED) | models.Q(reasons_bg__gt=""),
                name="answer_reasons_unless_accepted",
            ),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.proposal_id}: {self.decision}"


class Flag(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reporter"], name="consultation_flag_once_per_person")
        ]

    def __str__(self):
        return self.reason


class ModerationKind(models.TextChoices):
    APPROVE = "approve", _("Approved")
    HIDE = "hide", _("Hidden")
    RESTORE = "restore", _("Restored")
    BLOCK = "block", _("Author blocked")
    REFUSED_LATE = "refused_late", _("Refused: outside the period")
    REFUSED_FLOOD = "refused_flood", _("Refused: too many proposals")
    REFUSED_MARKUP = "refused_markup", _("Refused: HTML or script")
    REFUSED_ROBOT = "refused_robot", _("Refused: automated sending")


class ModerationEntry(models.Model):
    """The consultations' moderation log: approvals, hides, restores, and refused submissions
    (too many, too late, markup, robots), with the reason."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation_log"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=ModerationKind.choices)
    proposal = models.ForeignKey(Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    address = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
