from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civitas.core.i18n import Translated, active_content_language
from civitas.core.models import Municipality
from civitas.core.money import DEFAULT_CURRENCY, Currency, Money


class PlanKind(models.TextChoices):
    DEVELOPMENT_PLAN = "development_plan", _("Development plan")
    SECTORAL_STRATEGY = "sectoral_strategy", _("Sectoral strategy")
    PROGRAMME = "programme", _("Programme")
    METHODOLOGY = "methodology", _("Monitoring and evaluation methodology")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    ADOPTED = "adopted", _("Adopted")
    IMPLEMENTATION = "implementation", _("In implementation")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")


# The order a plan's status moves in; a status may go forward one or more steps, or back to draft
# from consultation (a draft withdrawn for rework). See services.plan_change_status.
PLAN_STATUS_ORDER = [s.value for s in PlanStatus]
PUBLIC_PLAN_STATUSES = [s for s in PLAN_STATUS_ORDER if s != PlanStatus.DRAFT]


class FundingSource(models.TextChoices):
    """Where money comes from: a plan's indicative financial table and a project's funding lines."""

    MUNICIPAL = "municipal", _("Municipal budget")
    NATIONAL = "national", _("National budget")
    EU = "eu", _("EU programme")
    OTHER = "other", _("Other")


class PlanToleranceUnit(models.TextChoices):
    """The unit of a plan's tolerance for missing a target: the values are the evaluation engine's
    ``ToleranceUnit`` (indicators.evaluation passes them on; plans does not import the engine)."""

    UNIT = "unit", _("In each indicator's unit")
    PERCENT = "percent", _("In percent of the target")


class Plan(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="plans")
    slug = models.SlugField(_("address name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=30, choices=PlanKind.choices)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=400)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    vision_bg = models.TextField(_("vision (Bulgarian)"), blank=True)
    vision_en = models.TextField(_("vision (English)"), blank=True)
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # Names of the tree's levels, top first: [{"bg": "Стратегическа цел", "en": "Strategic goal"}, ...]
    level_names = models.JSONField(_("level names"), default=list)
    adopted_by_bg = models.CharField(
        _("adopted by (council decision, Bulgarian)"), max_length=300, blank=True
    )
    adopted_by_en = models.CharField(_("adopted by (council decision, English)"), max_length=300, blank=True)
    # How far a target may be missed and still be "at risk" rather than "off track", for the
    # indicators rated by attainment (target without a baseline, threshold); an indicator's own
    # tolerance wins. No amount: no tolerance (any miss is off track).
    tolerance_amount = models.DecimalField(
        _("tolerance for missing a target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    tolerance_unit = models.CharField(
        _("unit of the tolerance"), max_length=20, choices=PlanToleranceUnit.choices, blank=True, default=""
    )
    # The month the plan's reporting year starts in; none = the municipality's.
    year_start_month = models.PositiveSmallIntegerField(
        _("reporting year starts in month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    # The currency new amounts of the plan are entered in (its financial table, its projects).
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=DEFAULT_CURRENCY
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_sample = models.BooleanField(_("contains sample data"), default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    title = Translated()
    vision = Translated()
    description = Translated()
    adopted_by = Translated()

    class Meta:
        ordering = ["position", "-period_start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="plan_slug_unique_in_municipality"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="plan_period_order"
            ),
        ]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return self.title_bg

    @property
    def is_public(self) -> bool:
        return self.status != PlanStatus.DRAFT

    def level_name(self, depth: int) -> str:
        """The name of the level at ``depth`` (0 = top) in the active language."""
        if not self.level_names:
            return ""
        names = self.level_names[min(depth, len(self.level_names) - 1)]
        return names.get(active_content_language()) or names.get("bg", "")


class PlanElement(models.Model):
    """A node of a plan's goal tree: a strategic goal, priority, measure..."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="elements")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    version = models.PositiveIntegerField(default=1)

    title = Translated()
    description = Translated()

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="element_code_unique_in_plan"),
        ]
        verbose_name = _("plan element")
        verbose_name_plural = _("plan elements")

    def __str__(self):
        return f"{self.code} {self.title_bg}"


class FinancialLine(models.Model):
    """A cell of a plan's indicative financial table: how much the plan expects for an element
    (a priority or measure; none = the plan as a whole) from a funding source in a year. It exists
    apart from the plan's projects; pages show it beside the sum of the projects' funding."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="financial_lines")
    element = models.ForeignKey(
        PlanElement, on_delete=models.CASCADE, null=True, blank=True, related_name="financial_lines"
    )
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    # None: for the whole period of the plan.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=DEFAULT_CURRENCY
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="financial_amount_not_negative"),
            # Lines with no element or no year are kept unique by the services (NULLs are distinct
            # here on every database).
            models.UniqueConstraint(
                fields=["plan", "element", "source", "year"], name="financial_line_unique"
            ),
        ]
        verbose_name = _("line of the indicative financial table")
        verbose_name_plural = _("indicative financial table")

    def __str__(self):
        return f"{self.plan_id} {self.element_id} {self.source} {self.year}: {self.amount} {self.currency}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


class ElementAssessment(models.Model):
    """The authority's own judgement of an element (a priority, a measure) for one year: what was
    done and what held it back. Entered by staff, public once published; the annual report uses it."""

    element = models.ForeignKey(PlanElement, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    achieved_bg = models.TextField(_("what was done (Bulgarian)"), blank=True)
    achieved_en = models.TextField(_("what was done (English)"), blank=True)
    obstacles_bg = models.TextField(_("what held it back (Bulgarian)"), blank=True)
    obstacles_en = models.TextField(_("what held it back (English)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    achieved = Translated()
    obstacles = Translated()

    class Meta:
        ordering = ["element", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["element", "year"], name="assessment_unique_per_year"),
        ]
        verbose_name = _("annual assessment")
        verbose_name_plural = _("annual assessments")

    def __str__(self):
        return f"{self.element_id} {self.year}"


class VersionKind(models.TextChoices):
    """What a version of a plan is: the stages a plan's text goes through, and its updates."""

    DRAFT = "draft", _("Draft")
    CONSULTATION_DRAFT = "consultation_draft", _("Draft for public consultation")
    ADOPTED = "adopted", _("Adopted")
    AMENDED = "amended", _("Amended (update)")


# The kinds of version that put a plan in force: while the latest version is one of them (no draft
# open), what a version holds cannot change (policy.require_unfrozen).
IN_FORCE_KINDS = (VersionKind.ADOPTED, VersionKind.AMENDED)


class PlanVersion(models.Model):
    """A frozen snapshot of a plan at one stage: its text, goal tree, indicators with their targets,
    financial table and projects, as a plan file document (planfiles, civitas-plan/2). Numbered 1, 2,
    ... in the plan; an adopted or amended version names the council decision that adopted it, and
    the latest of those is the version in force."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version number"))
    kind = models.CharField(_("kind of version"), max_length=30, choices=VersionKind.choices)
    snapshot = models.JSONField(_("snapshot"), default=dict)
    decision = models.ForeignKey(
        "council.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_versions",
        verbose_name=_("council decision"),
    )
    # The day the version took effect (adopted, amended) or was published (a consultation draft).
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    note_bg = models.TextField(_("what changed (Bulgarian)"), blank=True)
    note_en = models.TextField(_("what changed (English)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    note = Translated()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
        ]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self):
        return f"{self.plan_id} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("portal:plan", args=[self.plan.municipality.slug, self.plan.slug])

    # How a council decision's page lists the version (council.selectors.decision_acts): the public
    # sees no draft plan's.
    decision_act_names = {"decision": _("adopts or amends the plan")}

    @classmethod
    def decision_act_queryset(cls, queryset):
        return queryset.filter(plan__status__in=PUBLIC_PLAN_STATUSES).select_related("plan__municipality")

    def decision_act_label(self) -> str:
        return _("%(plan)s, version %(number)s") % {"plan": self.plan.title, "number": self.number}


class PlanFormerSlug(models.Model):
    """An address name a plan had before: its old addresses (the plan's and its elements' pages)
    redirect (301) to the current ones. Recorded by the plan services when the address name changes."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="former_slugs")
    slug = models.SlugField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="plan_former_slug_unique"),
        ]

    def __str__(self):
        return f"{self.slug} → {self.plan_id}"
