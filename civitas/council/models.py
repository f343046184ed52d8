from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.core.i18n import Translated
from civitas.core.models import Municipality


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("Regular session")
    EXTRAORDINARY = "extraordinary", _("Extraordinary session")


class Decision(models.Model):
    """A decision of the municipal council ("Решение № 123 на Общинския съвет от 27.03.2014"):
    its number is unique in the council's year. Other records point to the decision that adopts or
    approves them (a plan version, an annual report, an evaluation, a project's co-financing, the
    results of a consultation): ``council.selectors`` finds them through those links."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveIntegerField(_("number"))
    date = models.DateField(_("date"))
    # The year the number counts in (the decision's date's year, kept by the services), so that the
    # database refuses a number given twice in one year.
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    session_kind = models.CharField(
        _("session"), max_length=20, choices=SessionKind.choices, default=SessionKind.REGULAR
    )
    protocol_number = models.PositiveIntegerField(_("protocol number"), null=True, blank=True)
    subject_bg = models.CharField(_("subject (Bulgarian)"), max_length=1000)
    subject_en = models.CharField(_("subject (English)"), max_length=1000, blank=True)
    text_bg = models.TextField(_("text of the decision (Bulgarian)"), blank=True)
    text_en = models.TextField(_("text of the decision (English)"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstained = models.PositiveSmallIntegerField(_("abstained"), null=True, blank=True)
    document = models.FileField(
        _("document of the decision"), upload_to="decisions/%Y/", blank=True, db_index=True
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    # Number, subject and text folded to lower case, for the register's search in any script on
    # every database (SQLite folds only ASCII). Kept current by the services.
    search_text = models.TextField(default="", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    subject = Translated()
    text = Translated()

    class Meta:
        ordering = ["-date", "-number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "number"], name="decision_number_unique_in_year"
            ),
        ]
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")

    def __str__(self):
        return f"№ {self.number}/{self.date:%d.%m.%Y}"
