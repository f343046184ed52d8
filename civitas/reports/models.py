"""The annual monitoring report of a plan ("годишен доклад за наблюдение на изпълнението"): the
narrative the municipality writes for it, its state (a draft, or approved by a council decision
and then frozen and public) and the files generated from it in the background."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.core.i18n import Translated
from civitas.core.models import Municipality
from civitas.council.models import Decision
from civitas.evaluations.models import Evaluation
from civitas.plans.models import Plan


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    APPROVED = "approved", pgettext_lazy("report status", "Approved")


class ReportFormat(models.TextChoices):
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"


class ReportLanguage(models.TextChoices):
    BG = "bg", _("Bulgarian")
    EN = "en", _("English")


class GenerationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class AnnualReport(models.Model):
    """A plan's annual monitoring report for one of the years of its period (one per plan and
    year). The figures come from the plan's data as of ``as_of``; the municipality writes the
    narrative of sections 1, 3 and 4. Approved by a council decision, it is frozen and public."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="annual_reports")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    # Section 1: general conditions and socio-economic change.
    conditions_bg = models.TextField(
        _("general conditions and socio-economic change (Bulgarian)"), blank=True
    )
    conditions_en = models.TextField(_("general conditions and socio-economic change (English)"), blank=True)
    # Section 3: what was done about the indicators that are off track.
    actions_bg = models.TextField(_("actions about indicators off track (Bulgarian)"), blank=True)
    actions_en = models.TextField(_("actions about indicators off track (English)"), blank=True)
    # Section 4: conclusions and proposals.
    conclusions_bg = models.TextField(_("conclusions and proposals (Bulgarian)"), blank=True)
    conclusions_en = models.TextField(_("conclusions and proposals (English)"), blank=True)
    # The date the data is read as of; None: the end of the plan's reporting year ``year``
    # (selectors.report_as_of).
    as_of = models.DateField(_("data as of"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_reports",
        verbose_name=_("approved by the council's decision"),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The report's page as it was approved, in each language (reports.render.render_html, escaped
    # markup): the portal shows it as approved, whatever values are published later.
    published_html_bg = models.TextField(blank=True, editable=False)
    published_html_en = models.TextField(blank=True, editable=False)
    is_sample = models.BooleanField(_("contains sample data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    conditions = Translated()
    actions = Translated()
    conclusions = Translated()
    published_html = Translated()

    class Meta:
        ordering = ["plan_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="annual_report_one_per_plan_and_year"),
        ]
        verbose_name = _("annual monitoring report")
        verbose_name_plural = _("annual monitoring reports")

    def __str__(self):
        return f"{self.plan.slug} {self.year}"

    @property
    def is_approved(self) -> bool:
        return self.status == ReportStatus.APPROVED


class ReportFile(models.Model):
    """A document generated in one format and language, by a background task that writes its
    progress here: of an annual report, or of an evaluation (the evaluation's report; exactly one of
    the two). The files generated when the report is approved, or while the evaluation is
    published, are its published ones (``is_published``): public, and kept as they were generated."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, null=True, blank=True, related_name="report_files"
    )
    format = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices)
    language = models.CharField(_("language"), max_length=2, choices=ReportLanguage.choices)
    file = models.FileField(_("file"), upload_to="reports/%Y/", blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GenerationStatus.choices, default=GenerationStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_file_progress_max_100"
            ),
            models.CheckConstraint(
                condition=models.Q(report__isnull=False, evaluation__isnull=True)
                | models.Q(report__isnull=True, evaluation__isnull=False),
                name="report_file_of_a_report_or_an_evaluation",
            ),
        ]
        verbose_name = _("generated report file")
        verbose_name_plural = _("generated report files")

    def __str__(self):
        owner = self.report if self.report_id else f"evaluation {self.evaluation_id}"
        return f"{owner} {self.language} {self.format}"

    @property
    def is_finished(self) -> bool:
        return self.status in (GenerationStatus.DONE, GenerationStatus.FAILED)
