"""Indicator passports, their targets, measurements and change history.

Directions, accumulations, measures and frequencies are the evaluation engine's vocabularies
(``civitas.evaluation.engine``); the fields' choices are made from them with the names in
``presentation``, so a member added to an engine enum is a choice here without a change.

Periods: a measurement or target belongs to a year and, for indicators reported more often than
once a year, a part of it (``sub``): 0 = the whole year; 1–2 = half-years; 1–4 = quarters;
1–12 = months, as the indicator's frequency says.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.core.i18n import Translated
from civitas.core.models import Municipality
from civitas.evaluation.engine import (
    OVERRIDE_STATUSES,
    Accumulation,
    Direction,
    Frequency,
    Measure,
    TargetKind,
    ToleranceUnit,
)
from civitas.plans.models import PlanElement
from civitas.projects.models import Project

from .presentation import (
    ACCUMULATION_LABELS,
    DIRECTION_LABELS,
    FREQUENCY_LABELS,
    MEASURE_LABELS,
    STATUS_LABELS,
    TARGET_KIND_LABELS,
    TOLERANCE_UNIT_LABELS,
    choices,
)


class IndicatorType(models.TextChoices):
    OUTPUT = "output", _("Output")
    RESULT = "result", _("Result")
    IMPACT = "impact", _("Impact")
    CONTEXT = "context", _("Context")


class MeasurementState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("measurement state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("measurement state", "Submitted")
    RETURNED = "returned", pgettext_lazy("measurement state", "Returned")
    APPROVED = "approved", pgettext_lazy("measurement state", "Approved")
    PUBLISHED = "published", pgettext_lazy("measurement state", "Published")


# Values that count in evaluation: only published ones, so that every page, report and export,
# public or internal, shows the same figures.
COUNTED_STATES = (MeasurementState.PUBLISHED,)


class Indicator(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="indicators")
    # PROTECT: an indicator and its values are never deleted with the element or project they
    # hang on (the services refuse such a deletion with a message).
    element = models.ForeignKey(
        PlanElement, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=40)
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=400)
    name_en = models.CharField(_("name (English)"), max_length=400, blank=True)
    definition_bg = models.TextField(_("definition (Bulgarian)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=IndicatorType.choices)
    unit_bg = models.CharField(_("unit (Bulgarian)"), max_length=60, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=60, blank=True)
    measure = models.CharField(
        _("measure"), max_length=20, choices=choices(Measure, MEASURE_LABELS), default=Measure.NUMBER.value
    )
    scale_min = models.DecimalField(
        _("scale minimum"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    scale_max = models.DecimalField(
        _("scale maximum"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    direction = models.CharField(
        _("direction"),
        max_length=20,
        choices=choices(Direction, DIRECTION_LABELS),
        default=Direction.INCREASE.value,
    )
    tolerance = models.DecimalField(
        _("tolerance band (for maintain)"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    # What the targets are: a trajectory from the baseline, or a threshold (a standard to meet or
    # stay within, on either side of the baseline).
    target_kind = models.CharField(
        _("kind of target"),
        max_length=20,
        choices=choices(TargetKind, TARGET_KIND_LABELS),
        default=TargetKind.TRAJECTORY.value,
    )
    # How far a target may be missed and still be "at risk", for the indicators rated by attainment
    # (no baseline, a threshold): none = the plan's tolerance. Not the band of "maintain" above,
    # which is always in the indicator's unit and has no plan-wide default.
    tolerance_amount = models.DecimalField(
        _("tolerance for missing a target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    tolerance_unit = models.CharField(
        _("unit of the tolerance"),
        max_length=20,
        choices=choices(ToleranceUnit, TOLERANCE_UNIT_LABELS),
        blank=True,
        default="",
    )
    # Values are cumulative since the start of each reporting year (quarterly figures "year to
    # date"): the engine restarts the sum every year.
    year_to_date = models.BooleanField(_("year to date"), default=False)
    accumulation = models.CharField(
        _("accumulation"),
        max_length=20,
        choices=choices(Accumulation, ACCUMULATION_LABELS),
        default=Accumulation.PER_PERIOD.value,
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_unavailable_reason_bg = models.CharField(
        _("why no baseline (Bulgarian)"), max_length=400, blank=True
    )
    baseline_unavailable_reason_en = models.CharField(
        _("why no baseline (English)"), max_length=400, blank=True
    )
    data_source_bg = models.CharField(_("data source (Bulgarian)"), max_length=400, blank=True)
    data_source_en = models.CharField(_("data source (English)"), max_length=400, blank=True)
    method_bg = models.TextField(_("collection method (Bulgarian)"), blank=True)
    method_en = models.TextField(_("collection method (English)"), blank=True)
    frequency = models.CharField(
        _("frequency"),
        max_length=20,
        choices=choices(Frequency, FREQUENCY_LABELS),
        default=Frequency.ANNUAL.value,
    )
    responsible_unit_bg = models.CharField(_("responsible unit (Bulgarian)"), max_length=300, blank=True)
    responsible_unit_en = models.CharField(_("responsible unit (English)"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_indicators",
        verbose_name=_("owner"),
    )
    eu_code = models.CharField(_("EU common indicator code"), max_length=20, blank=True)
    weight = models.DecimalField(_("weight in roll-up"), max_digits=8, decimal_places=3, default=1)
    # Breakdowns whose values add up to the total:
    # [{"key": "settlement", "name": {"bg": "Населено място", "en": "Settlement"},
    #   "categories": [{"key": "sopot", "bg": "Сопот", "en": "Sopot"}, ...]}]
    disaggregation = models.JSONField(_("disaggregation"), default=list, blank=True)
    # Other elements (of any plan of the municipality) the indicator also serves: it is counted once
    # in each of their roll-ups and stored once.
    also_elements = models.ManyToManyField(
        PlanElement, blank=True, related_name="shared_indicators", verbose_name=_("also serves")
    )
    position = models.PositiveIntegerField(default=0)
    is_sample = models.BooleanField(_("contains sample data"), default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    name = Translated()
    definition = Translated()
    unit = Translated()
    baseline_unavailable_reason = Translated()
    data_source = Translated()
    method = Translated()
    responsible_unit = Translated()

    class Meta:
        ordering = ["position", "code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="indicator_code_unique_in_municipality"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(element__isnull=False, project__isnull=True)
                    | models.Q(element__isnull=True, project__isnull=False)
                ),
                name="indicator_attached_to_element_or_project",
            ),
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.code} {self.name_bg}"


class Target(models.Model):
    """A milestone or the final target of an indicator for one period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    sub = models.PositiveSmallIntegerField(_("part of the year"), default=0)
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=4)
    is_final = models.BooleanField(_("final target"), default=False)

    class Meta:
        ordering = ["year", "sub"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "sub"], name="target_unique_period"),
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self):
        return f"{self.indicator.code} {self.year}/{self.sub}: {self.value}"


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField(_("year"))
    sub = models.PositiveSmallIntegerField(_("part of the year"), default=0)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=18, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(
        _("denominator"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    # {"settlement": {"sopot": 120, "anevo": 30}}
    breakdown = models.JSONField(_("disaggregated values"), default=dict, blank=True)
    collected_on = models.DateField(_("date collected"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.FileField(_("evidence file"), upload_to="evidence/%Y/", blank=True, db_index=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=MeasurementState.choices, default=MeasurementState.DRAFT
    )
    # Who saved the value last; ``typed_by`` is everyone who ever entered, changed or corrected it,
    # none of whom may approve or return it (policy.typed).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    typed_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(_("note on return"), blank=True)
    # The value as the public last saw it (set when it is published): a correction's public history
    # entry goes from this to the next published value, never showing a value nobody verified.
    published_text = models.CharField(max_length=100, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "sub"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "sub"], name="measurement_unique_period"),
        ]
        indexes = [models.Index(fields=["indicator", "state"])]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self):
        return f"{self.indicator.code} {self.year}/{self.sub}"


class StatusOverride(models.Model):
    """A verifier's judgement of an indicator's status for one period, with its public reason. Shown
    beside the computed status, never replacing it in the data (the engine's ``StatusOverride``)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="overrides")
    year = models.PositiveSmallIntegerField(_("year"))
    sub = models.PositiveSmallIntegerField(_("part of the year"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=[(s.value, STATUS_LABELS[s]) for s in OVERRIDE_STATUSES]
    )
    reason_bg = models.TextField(_("reason (Bulgarian)"))
    reason_en = models.TextField(_("reason (English)"), blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    reason = Translated()

    class Meta:
        ordering = ["indicator", "year", "sub"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "sub"], name="override_unique_per_period"),
        ]
        verbose_name = _("status override")
        verbose_name_plural = _("status overrides")

    def __str__(self):
        return f"{self.indicator_id} {self.year}/{self.sub}: {self.status}"


class IndicatorChange(models.Model):
    """A change to a baseline, target or approved value, with its reason: the public history."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="changes")
    measurement = models.ForeignKey(
        Measurement, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    field = models.CharField(max_length=60)
    period = models.CharField(max_length=20, blank=True)
    old_value = models.CharField(max_length=100, blank=True)
    new_value = models.CharField(max_length=100, blank=True)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    is_public = models.BooleanField(default=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("indicator change")
        verbose_name_plural = _("indicator history")

    def __str__(self):
        return f"{self.indicator.code} {self.field}: {self.old_value} → {self.new_value}"


class ReminderSent(models.Model):
    """One reporting reminder e-mailed to an indicator owner on one day: a second run of the
    reminders on the same day finds it and sends nothing new."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    due_count = models.PositiveIntegerField(default=0)
    overdue_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "owner", "day"], name="reminder_once_a_day")
        ]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self):
        return f"{self.owner} · {self.day}"


class ImportJobState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("import job", "Waiting to start")
    RUNNING = "running", pgettext_lazy("import job", "Being checked")
    DONE = "done", pgettext_lazy("import job", "Imported")
    FAILED = "failed", pgettext_lazy("import job", "Not imported")


class ImportJob(models.Model):
    """A measurements file imported in the background (large files): the uploaded bytes until it
    has run, its progress, and in the end the same row-by-row report as an import in the page."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    data = models.BinaryField(editable=False)  # emptied once the import has run
    submit = models.BooleanField(default=False)
    language = models.CharField(max_length=10)  # the uploader's: the report's messages are in it
    state = models.CharField(max_length=10, choices=ImportJobState.choices, default=ImportJobState.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    saved = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    # [{"row": 3, "column": "value", "letter": "C", "message": "…"}], as imports.RowError
    report = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("measurement import")
        verbose_name_plural = _("measurement imports")

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (ImportJobState.DONE, ImportJobState.FAILED)
