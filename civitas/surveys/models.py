"""Surveys (questionnaires): sections, questions with their options and conditions, one-time
invitation codes, responses and their answers.

One response per person is enforced by the database: a response carries a ``dedupe_key``
("user:<id>" or "code:<id>") unique within its survey, so two concurrent submissions of the same
person or code can never both be stored.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.core.i18n import Translated
from civitas.core.models import Municipality


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Access(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anyone, without signing in")
    ACCOUNT = "account", _("Signed-in citizens only")


class OnePer(models.TextChoices):
    ACCOUNT = "account", _("One response per account")
    CODE = "code", _("One response per invitation code")
    NONE = "none", _("No limit")


class Survey(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="surveys")
    slug = models.SlugField(_("address name"), max_length=80)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    intro_bg = models.TextField(_("introduction (Bulgarian)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    access = models.CharField(
        _("who may answer"), max_length=20, choices=Access.choices, default=Access.ANONYMOUS
    )
    one_response_per = models.CharField(
        _("responses per person"), max_length=20, choices=OnePer.choices, default=OnePer.NONE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    results_public = models.BooleanField(_("results are public"), default=True)
    is_sample = models.BooleanField(_("contains sample data"), default=False)
    # Moves up with every change to the survey or its questionnaire: optimistic locking of edits
    # and the key of the cached questionnaire (selectors.questionnaire).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    title = Translated()
    intro = Translated()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="survey_slug_unique_in_municipality"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__isnull=True)
                | models.Q(opens_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="survey_period_order",
            ),
        ]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return self.title_bg

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == SurveyStatus.PUBLISHED
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )

    @property
    def is_public(self) -> bool:
        return self.status != SurveyStatus.DRAFT


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"), default=0)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    intro_bg = models.TextField(_("introduction (Bulgarian)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking of edits

    title = Translated()
    intro = Translated()

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title_bg


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    LIKERT = "likert", _("Likert scale")
    RANKING = "ranking", _("Ranking")
    NUMBER = "number", _("Number")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text_bg = models.CharField(_("question (Bulgarian)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    help_bg = models.CharField(_("hint (Bulgarian)"), max_length=500, blank=True)
    help_en = models.CharField(_("hint (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    # Likert: the number of points and their labels [{"bg": ..., "en": ...}], first point first.
    scale_size = models.PositiveSmallIntegerField(_("points on the scale"), null=True, blank=True)
    scale_labels = models.JSONField(_("labels of the points"), default=list, blank=True)
    # Number: inclusive bounds; text: the longest answer accepted.
    min_value = models.DecimalField(
        _("smallest number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    max_length = models.PositiveIntegerField(_("longest answer, characters"), null=True, blank=True)
    # Shown only when the answer to an earlier choice question includes this option.
    condition_option = models.ForeignKey(
        "Option", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("show only if the answer is"),
    )  # fmt: skip
    # Optimistic locking of edits: moves up when the question, its options or its condition change.
    version = models.PositiveIntegerField(default=1)

    text = Translated()
    help = Translated()

    # Set by selectors.build_questionnaire on the questions it reads; not stored.
    option_list: list["Option"]
    number: int
    condition_on: "Question | None"
    condition_label: "Option | None"

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text_bg


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(_("position"), default=0)
    label_bg = models.CharField(_("label (Bulgarian)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)

    label = Translated()

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.label_bg


class Invitation(models.Model):
    """A one-time code, printed and handed out: whoever has it may answer once."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    code = models.CharField(_("code"), max_length=16)
    batch = models.CharField(_("batch"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="invitation_code_unique")]
        verbose_name = _("invitation code")
        verbose_name_plural = _("invitation codes")

    def __str__(self):
        return self.code


class Source(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper form entered by staff")


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    # "user:<id>" or "code:<invitation id>" when the survey allows one response per person; null
    # otherwise. Unique per survey, so a second response of the same person cannot be stored.
    dedupe_key = models.CharField(max_length=40, null=True, blank=True)
    is_sample = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "dedupe_key"], name="survey_response_once"),
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return f"{self.survey_id}/{self.pk}"


class Answer(models.Model):
    """One answer to one question: an option (single, multiple — a row per chosen option — and
    ranking, with its rank), a number (number, Likert point) or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(
        Option, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    text = models.TextField(blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["response", "pk"]
        indexes = [models.Index(fields=["question", "option"], name="answer_question_option")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.response_id}/{self.question_id}"
