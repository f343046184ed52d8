"""The back office's own forms: the platform's new municipality, a municipality's staff (inviting a
person with a role, changing a role) and its evaluation settings. The services validate; these
check types."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.core.models import Municipality, Role
from civitas.plans.forms import year_start_field


class MunicipalityForm(forms.Form):
    slug = forms.CharField(
        label=_("Address name"), max_length=60,
        help_text=_("Small Latin letters, digits and hyphens: the municipality's address, e.g. sopot."),
    )  # fmt: skip
    name_bg = forms.CharField(label=_("Name in Bulgarian"), max_length=200, help_text=_("e.g. Община Сопот"))
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    ekatte = forms.CharField(
        label=capfirst(Municipality._meta.get_field("ekatte").verbose_name),
        max_length=5,
        required=False,
        help_text=_("Five digits."),
    )
    nuts = forms.CharField(
        label=capfirst(Municipality._meta.get_field("nuts").verbose_name),
        max_length=5,
        required=False,
        help_text=_("e.g. BG421"),
    )
    year_start_month = year_start_field(
        required=True, help_text=_("January for the calendar year; April for April to March.")
    )
    email = forms.EmailField(label=_("Public e-mail address"), required=False)


class StaffInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "An invitation goes to this address, with a link to set a password if the person has none."
        ),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    name = forms.CharField(
        label=pgettext_lazy("person", "Name"),
        max_length=80,
        required=False,
        help_text=_("Shown with their work; for a new account."),
    )


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=Role.choices)


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
