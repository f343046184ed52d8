"""Evaluations by criteria (ex-ante, mid-term, ex-post, thematic) of a plan, a policy area or a
project; a rating per OECD DAC criterion with its findings and the evidence they rest on; and the
evaluators' recommendations with the administration's response, followed to closure."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.core.i18n import Translated
from civitas.core.models import Municipality


class EvaluationKind(models.TextChoices):
    EX_ANTE = "ex_ante", _("Ex-ante evaluation")
    MID_TERM = "mid_term", _("Mid-term evaluation")
    EX_POST = "ex_post", _("Ex-post evaluation")
    THEMATIC = "thematic", _("Thematic evaluation")


class SubjectKind(models.TextChoices):
    PLAN = "plan", pgettext_lazy("evaluation subject", "Plan")
    POLICY_AREA = "policy_area", _("Policy area")
    PROJECT = "project", pgettext_lazy("evaluation subject", "Project")


class PolicyArea(models.TextChoices):
    """The policy areas of Sopot's monitoring and evaluation methodology. A choice list, not a
    model: each area's name needs its translation anyway, the methodology fixes three, and "other"
    (named in the evaluation's title) covers an evaluation outside them."""

    TOURISM = "tourism", _("Tourism")
    URBAN_PLANNING = "urban_planning", _("Urban planning")
    HOUSING = "housing", _("Housing")
    OTHER = "other", _("Other policy area")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("evaluation status", "Draft")
    PUBLISHED = "published", pgettext_lazy("evaluation status", "Published")


class Criterion(models.TextChoices):
    """The OECD DAC evaluation criteria, in their usual order (ефективност is effectiveness,
    ефикасност efficiency)."""

    RELEVANCE = "relevance", _("Relevance")
    COHERENCE = "coherence", _("Coherence")
    EFFECTIVENESS = "effectiveness", _("Effectiveness")
    EFFICIENCY = "efficiency", _("Efficiency")
    IMPACT = "impact", _("Impact")
    SUSTAINABILITY = "sustainability", _("Sustainability")


class Rating(models.IntegerChoices):
    """The rating scale, written once: every page, form and rule reads it from here."""

    UNSATISFACTORY = 1, _("Unsatisfactory")
    PARTLY_SATISFACTORY = 2, _("Partly satisfactory")
    SATISFACTORY = 3, _("Satisfactory")
    HIGHLY_SATISFACTORY = 4, _("Highly satisfactory")


class Evaluation(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField(_("kind of evaluation"), max_length=20, choices=EvaluationKind.choices)
    subject_kind = models.CharField(_("what is evaluated"), max_length=20, choices=SubjectKind.choices)
    # A plan evaluation names its plan; a policy area's may name the plan whose policy it is (then
    # its recommendations are the plan's too); a project evaluation names its project.
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations",
        verbose_name=_("plan"),
    )  # fmt: skip
    policy_area = models.CharField(_("policy area"), max_length=20, choices=PolicyArea.choices, blank=True)
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations",
        verbose_name=_("project"),
    )  # fmt: skip
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=400)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    evaluator_name_bg = models.CharField(_("evaluator (Bulgarian)"), max_length=300, blank=True)
    evaluator_name_en = models.CharField(_("evaluator (English)"), max_length=300, blank=True)
    period_start = models.PositiveSmallIntegerField(_("evaluated from (year)"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("evaluated to (year)"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    summary_bg = models.TextField(_("summary (Bulgarian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    decision = models.ForeignKey(
        "council.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations",
        verbose_name=_("council decision"),
    )  # fmt: skip
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("written by"),
    )  # fmt: skip
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    title = Translated()
    evaluator_name = Translated()
    summary = Translated()

    class Meta:
        ordering = ["-completed_on", "-started_on", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return self.title_bg

    @property
    def is_published(self) -> bool:
        return self.status == EvaluationStatus.PUBLISHED

    @property
    def dated(self):
        """The evaluation's date: the day it was completed, else the day it started."""
        return self.completed_on or self.started_on

    @property
    def year(self) -> int | None:
        return self.dated.year if self.dated else None


class CriterionRating(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.CharField(_("criterion"), max_length=20, choices=Criterion.choices)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices, null=True, blank=True)
    findings_bg = models.TextField(_("findings (Bulgarian)"), blank=True)
    findings_en = models.TextField(_("findings (English)"), blank=True)

    findings = Translated()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="evaluation_criterion_unique"),
        ]
        verbose_name = _("rating by criterion")
        verbose_name_plural = _("ratings by criterion")

    def __str__(self):
        return f"{self.evaluation_id} {self.criterion}"


class EvidenceKind(models.TextChoices):
    INDICATOR = "indicator", _("Indicator")
    SURVEY = "survey", _("Survey results")
    CONSULTATION = "consultation", _("Table of proposals and answers")
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Web page")


class Evidence(models.Model):
    """What a rating's findings rest on: an indicator, a survey's results, a consultation's table of
    proposals and answers, an uploaded document or a web page elsewhere."""

    rating = models.ForeignKey(CriterionRating, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind of evidence"), max_length=20, choices=EvidenceKind.choices)
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    file = models.FileField(_("document"), upload_to="evaluations/%Y/", blank=True, db_index=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    label_bg = models.CharField(_("label (Bulgarian)"), max_length=300, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    label = Translated()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return f"{self.kind} {self.pk}"


class Priority(models.TextChoices):
    HIGH = "high", _("High priority")
    MEDIUM = "medium", _("Medium priority")
    LOW = "low", _("Low priority")


class Response(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("recommendation response", "Accepted")
    PARTLY_ACCEPTED = "partly_accepted", pgettext_lazy("recommendation response", "Partly accepted")
    REJECTED = "rejected", pgettext_lazy("recommendation response", "Rejected")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("recommendation status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("recommendation status", "In progress")
    DONE = "done", pgettext_lazy("recommendation status", "Done")
    CLOSED = "closed", pgettext_lazy("recommendation status", "Closed")


class Recommendation(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField(_("number"))
    text_bg = models.TextField(_("recommendation (Bulgarian)"))
    text_en = models.TextField(_("recommendation (English)"), blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    response = models.CharField(_("response"), max_length=20, choices=Response.choices, blank=True)
    response_reasons_bg = models.TextField(_("reasons (Bulgarian)"), blank=True)
    response_reasons_en = models.TextField(_("reasons (English)"), blank=True)
    action_bg = models.TextField(_("action (Bulgarian)"), blank=True)
    action_en = models.TextField(_("action (English)"), blank=True)
    responsible_unit_bg = models.CharField(_("responsible unit (Bulgarian)"), max_length=300, blank=True)
    responsible_unit_en = models.CharField(_("responsible unit (English)"), max_length=300, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    closed_at = models.DateField(_("closed on"), null=True, blank=True)
    closing_note_bg = models.TextField(_("closing note (Bulgarian)"), blank=True)
    closing_note_en = models.TextField(_("closing note (English)"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    text = Translated()
    response_reasons = Translated()
    action = Translated()
    responsible_unit = Translated()
    closing_note = Translated()

    class Meta:
        ordering = ["evaluation", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="recommendation_number_unique"),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="recommendation_follow_up")]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return f"{self.evaluation_id}/{self.number}"
