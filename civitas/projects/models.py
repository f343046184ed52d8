from decimal import Decimal
from pathlib import PurePosixPath

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.core.i18n import Translated
from civitas.core.models import Municipality
from civitas.core.money import DEFAULT_CURRENCY, Currency, Money
from civitas.plans.models import FundingSource as FundingSource  # defined with the plans' financial table
from civitas.plans.models import PlanElement


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    IN_PREPARATION = "in_preparation", _("In preparation")
    FUNDING_APPLIED = "funding_applied", _("Funding applied for")
    CONTRACTED = "contracted", _("Contracted")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("activity state", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("activity state", "In progress")
    DONE = "done", pgettext_lazy("activity state", "Done")
    DELAYED = "delayed", pgettext_lazy("activity state", "Delayed")
    CANCELLED = "cancelled", pgettext_lazy("activity state", "Cancelled")


class Project(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="projects")
    slug = models.SlugField(_("address name"), max_length=80)
    code = models.CharField(_("code"), max_length=40)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    responsible_unit_bg = models.CharField(_("responsible unit (Bulgarian)"), max_length=300, blank=True)
    responsible_unit_en = models.CharField(_("responsible unit (English)"), max_length=300, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.IDEA
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    # None: not reported (never shown or counted as 0 %).
    progress = models.PositiveSmallIntegerField(
        _("progress, %"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    # The project's total as its documents declare it; the pages flag a total that differs from
    # the sum of its funding lines. None: not declared.
    declared_total = models.DecimalField(
        _("declared total budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    declared_currency = models.CharField(
        _("currency of the declared total"), max_length=3, choices=Currency.choices, default=DEFAULT_CURRENCY
    )
    # A GeoJSON geometry: {"type": "Point", "coordinates": [lon, lat]} or a LineString.
    location = models.JSONField(_("location (GeoJSON)"), null=True, blank=True)
    location_name_bg = models.CharField(_("place (Bulgarian)"), max_length=300, blank=True)
    location_name_en = models.CharField(_("place (English)"), max_length=300, blank=True)
    elements = models.ManyToManyField(
        PlanElement, through="ProjectContribution", related_name="projects", blank=True
    )
    # The council's decision that approves the project's co-financing by the municipality.
    cofinancing_decision = models.ForeignKey(
        "council.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cofinanced_projects",
        verbose_name=_("approves the project's co-financing"),
    )
    is_sample = models.BooleanField(_("contains sample data"), default=False)
    # Code, titles and description folded to lower case, for search that ignores case in any script
    # on every database (SQLite folds only ASCII). Kept current by the project services.
    search_text = models.TextField(default="", blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    title = Translated()
    description = Translated()
    responsible_unit = Translated()
    location_name = Translated()

    class Meta:
        ordering = ["code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="project_slug_unique_in_municipality"
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"], name="project_code_unique_in_municipality"
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="project_progress_max_100"),
        ]
        indexes = [models.Index(fields=["municipality", "status"])]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return f"{self.code} {self.title_bg}"

    def get_absolute_url(self) -> str:
        return reverse("portal:project", args=[self.municipality.slug, self.slug])

    # How a council decision's page lists the project (council.selectors.decision_acts).
    @classmethod
    def decision_act_queryset(cls, queryset):
        return queryset.select_related("municipality").order_by("code", "pk")

    def decision_act_label(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def declared_money(self) -> Money | None:
        return None if self.declared_total is None else Money(self.declared_total, self.declared_currency)


class ProjectContribution(models.Model):
    """A project contributes to a plan element (of any plan of the same municipality)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contributions")
    element = models.ForeignKey(PlanElement, on_delete=models.CASCADE, related_name="contributions")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "element"], name="contribution_unique"),
        ]

    def __str__(self):
        return f"{self.project_id} → {self.element_id}"


class ProjectPartner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    role_bg = models.CharField(_("role (Bulgarian)"), max_length=300, blank=True)
    role_en = models.CharField(_("role (English)"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    name = Translated()
    role = Translated()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name_bg


class FundingLine(models.Model):
    """One line of a project's budget: an amount from one funding source."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_lines")
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    programme_bg = models.CharField(_("programme (Bulgarian)"), max_length=300, blank=True)
    programme_en = models.CharField(_("programme (English)"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=DEFAULT_CURRENCY
    )
    # The funder's ceiling ("up to EUR 1 million"): the amount is the most that may be granted.
    is_ceiling = models.BooleanField(_("up to (a ceiling)"), default=False)
    # In the line's currency; None: not reported (never shown or counted as 0).
    spent = models.DecimalField(
        _("spent"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    grant_share = models.DecimalField(
        _("grant share, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    contract_number = models.CharField(_("contract number"), max_length=100, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    programme = Translated()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="funding_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(spent__gte=0), name="funding_spent_not_negative"),
        ]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")

    def __str__(self):
        return f"{self.get_source_display()} {self.amount} {self.currency}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def spent_money(self) -> Money | None:
        return None if self.spent is None else Money(self.spent, self.currency)


class Activity(models.Model):
    """An activity or milestone of a project, with its due date and state."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveIntegerField(default=0)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_milestone = models.BooleanField(_("milestone"), default=False)
    start_date = models.DateField(_("start"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ActivityState.choices, default=ActivityState.PLANNED
    )

    title = Translated()
    description = Translated()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.title_bg


class DocumentKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    PHOTO = "photo", _("Photo")


class ProjectDocument(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.DOCUMENT
    )
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to="projects/%Y/", db_index=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    title = Translated()

    class Meta:
        ordering = ["kind", "uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title_bg

    @property
    def file_type(self) -> str:
        """The kind of file as people name it: its extension in capitals ("PDF", "DOCX")."""
        suffix = PurePosixPath(self.file.name or "").suffix.lstrip(".")
        return suffix.upper() or str(self.get_kind_display())


class ProjectFormerSlug(models.Model):
    """An address name a project had before: its old address redirects (301) to the current one.
    Recorded by the project services when the address name changes."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="former_slugs")
    slug = models.SlugField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="project_former_slug_unique"),
        ]

    def __str__(self):
        return f"{self.slug} → {self.project_id}"
