from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .i18n import Translated

# Slugs that are paths of the platform itself and so cannot name a municipality.
RESERVED_SLUGS = frozenset(
    {"admin", "accounts", "api", "static", "media", "healthz", "readyz", "en", "bg", "manage", "i18n"}
)


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PLANNER = "planner", _("Planner")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    INDICATOR_OWNER = "indicator_owner", _("Indicator owner")
    VERIFIER = "verifier", _("Verifier")
    MODERATOR = "moderator", _("Moderator")
    COUNCIL_SECRETARY = "council_secretary", _("Council secretary")
    EVALUATOR = "evaluator", _("Evaluator")


class Municipality(models.Model):
    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    ekatte = models.CharField(
        _("EKATTE code"), max_length=5, blank=True, validators=[RegexValidator(r"^\d{5}$")]
    )
    nuts = models.CharField(_("NUTS code"), max_length=5, blank=True)
    logo = models.ImageField(_("logo"), upload_to="municipalities/", blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address_bg = models.CharField(_("address (Bulgarian)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population census year"), null=True, blank=True)
    # Evaluation thresholds: a progress ratio at or above on_track is on track, at or above
    # at_risk at risk, below it off track; a value is stale this many days after the next was due.
    on_track_threshold = models.DecimalField(
        _("on-track threshold"), max_digits=4, decimal_places=3, default=Decimal("0.850")
    )
    at_risk_threshold = models.DecimalField(
        _("at-risk threshold"), max_digits=4, decimal_places=3, default=Decimal("0.600")
    )
    stale_grace_days = models.PositiveSmallIntegerField(
        _("grace period before a value is stale, days"), default=90
    )
    # The month the municipality's reporting year starts in (1 = January: the calendar year; 4 =
    # April: April–March). A plan may set its own.
    year_start_month = models.PositiveSmallIntegerField(
        _("reporting year starts in month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    # Versions of the municipality's public content, moved on by the services that change it
    # (core.content.changed); cached pages and evaluations are keyed by the versions they read, so
    # a cached page is never older than the data.
    planning_version = models.PositiveBigIntegerField(default=1, editable=False)
    participation_version = models.PositiveBigIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    name = Translated()
    address = Translated()

    class Meta:
        ordering = ["name_bg"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name_bg


class Membership(models.Model):
    """A staff role of a user in one municipality."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality", "role"], name="membership_unique_role")
        ]
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")

    def __str__(self):
        return f"{self.user} · {self.municipality} · {self.get_role_display()}"


class AuditEvent(models.Model):
    """Append-only record of who changed what. Written by services, never updated or deleted."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    # The staff role the actor acted in here at the time (Role; "operator" for the server's
    # operator; blank when not recorded), and the reason the person gave, if any: what the public
    # change history shows instead of a name.
    role = models.CharField(max_length=30, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        # The history of one object (the public change history reads it so).
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_repr}"


class Block(models.Model):
    """A person blocked by the municipality's moderators from taking part in its forum and its
    consultations. The forum's moderation writes it (forum.services.user_block); every
    participation app asks ``core.selectors.is_blocked``. The table kept its name from when the
    forum held it."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "forum_block"
        constraints = [models.UniqueConstraint(fields=["municipality", "user"], name="block_unique")]

    def __str__(self):
        return f"{self.user_id}: {self.reason}"
