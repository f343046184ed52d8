"""The back office shell's own forms: the municipality's settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.core.models import Municipality
from civitas.plans.forms import year_start_field


class EvaluationSettingsForm(forms.ModelForm):
    """How the municipality's indicators are rated (core.services.municipality_evaluation_update)."""

    class Meta:
        model = Municipality
        fields = ["on_track_threshold", "at_risk_threshold", "stale_grace_days", "year_start_month"]
        help_texts = {
            "on_track_threshold": _("A progress ratio at or above it is on track (e.g. 0.85)."),
            "at_risk_threshold": _("At or above it at risk, below it off track (e.g. 0.60)."),
            "stale_grace_days": _("Days after the next value was due before an indicator is stale."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year_start_month"] = year_start_field(
            required=True,
            help_text=_(
                "January for calendar years; April for April–March years (periods are then written "
                "2023/24, 2023/24-Q1). A plan may set its own."
            ),
        )
