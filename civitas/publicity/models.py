"""The publicity register: events (press conferences, public hearings, forums), materials (banners,
brochures with their print run) and publications (newspapers, websites), each of a municipality
and, where it is about one, of a project and/or a plan."""

from pathlib import PurePosixPath

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.core.i18n import Translated
from civitas.core.models import Municipality
from civitas.plans.models import Plan
from civitas.projects.models import Project


class EventKind(models.TextChoices):
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    PUBLIC_HEARING = "public_hearing", _("Public hearing")
    FORUM = "forum", _("Forum")
    PRESENTATION = "presentation", _("Presentation")
    OTHER = "other", _("Other event")


class MaterialKind(models.TextChoices):
    BANNER = "banner", _("Banner")
    BROCHURE = "brochure", _("Brochure")
    LEAFLET = "leaflet", _("Leaflet")
    POSTER = "poster", _("Poster")
    VIDEO = "video", _("Video")
    OTHER = "other", _("Other material")


class Medium(models.TextChoices):
    NEWSPAPER = "newspaper", _("Newspaper")
    WEBSITE = "website", _("Website")
    RADIO = "radio", _("Radio")
    TELEVISION = "television", _("Television")
    SOCIAL_MEDIA = "social_media", _("Social media")


def _file_type(name: str | None) -> str:
    """The kind of file as people name it: its extension in capitals ("PDF", "DOCX")."""
    return PurePosixPath(name or "").suffix.lstrip(".").upper()


class PublicityRecord(models.Model):
    """What every record of the register has: whose it is, what it is about, and whether it is
    sample data."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("project")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("plan")
    )
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    is_sample = models.BooleanField(_("contains sample data"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    title = Translated()

    class Meta:
        abstract = True

    def __str__(self):
        return self.title_bg


class PublicityEvent(PublicityRecord):
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.PRESS_CONFERENCE
    )
    date = models.DateField(_("date"), db_index=True)
    # None: the time is not known.
    time = models.TimeField(_("time"), null=True, blank=True)
    place_bg = models.CharField(_("place (Bulgarian)"), max_length=300, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=300, blank=True)
    # None: not counted (never shown as 0).
    participants = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    minutes = models.FileField(_("minutes"), upload_to="publicity/%Y/", blank=True, db_index=True)
    minutes_content_type = models.CharField(max_length=100, blank=True)
    minutes_size = models.PositiveIntegerField(default=0)

    place = Translated()
    description = Translated()

    class Meta:
        ordering = ["date", "time", "pk"]
        indexes = [models.Index(fields=["municipality", "date"])]
        verbose_name = _("publicity event")
        verbose_name_plural = _("publicity events")

    @property
    def minutes_type(self) -> str:
        return _file_type(self.minutes.name)


class EventPhoto(models.Model):
    event = models.ForeignKey(PublicityEvent, on_delete=models.CASCADE, related_name="photos")
    caption_bg = models.CharField(_("caption (Bulgarian)"), max_length=300)
    caption_en = models.CharField(_("caption (English)"), max_length=300, blank=True)
    file = models.FileField(_("photo"), upload_to="publicity/%Y/", db_index=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    caption = Translated()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")

    def __str__(self):
        return self.caption_bg


class PublicityMaterial(PublicityRecord):
    kind = models.CharField(
        _("kind"), max_length=20, choices=MaterialKind.choices, default=MaterialKind.BROCHURE
    )
    # The print run, or how many were made. None: not known.
    quantity = models.PositiveIntegerField(
        _("print run or quantity"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # None: the date is not known.
    produced_on = models.DateField(_("date produced"), null=True, blank=True, db_index=True)
    file = models.FileField(_("file or photo"), upload_to="publicity/%Y/", blank=True, db_index=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["produced_on", "pk"]
        verbose_name = _("publicity material")
        verbose_name_plural = _("publicity materials")

    @property
    def file_type(self) -> str:
        return _file_type(self.file.name)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Publication(PublicityRecord):
    medium = models.CharField(_("medium"), max_length=20, choices=Medium.choices, default=Medium.NEWSPAPER)
    outlet_bg = models.CharField(_("outlet (Bulgarian)"), max_length=300)
    outlet_en = models.CharField(_("outlet (English)"), max_length=300, blank=True)
    # None: the date is not known.
    published_on = models.DateField(_("date"), null=True, blank=True, db_index=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)

    outlet = Translated()

    class Meta:
        ordering = ["published_on", "pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
