"""The back office's own forms: the platform's new municipality, and a municipality's staff
(inviting a person with a role, changing a role). The services validate; these check types."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.core.models import Role

MONTHS = [
    (1, _("January")), (2, _("February")), (3, _("March")), (4, _("April")), (5, _("May")), (6, _("June")),
    (7, _("July")), (8, _("August")), (9, _("September")), (10, _("October")), (11, _("November")),
    (12, _("December")),
]  # fmt: skip


class MunicipalityForm(forms.Form):
    slug = forms.CharField(
        label=_("Address name"), max_length=60,
        help_text=_("Small Latin letters, digits and hyphens: the municipality's address, e.g. sopot."),
    )  # fmt: skip
    name_bg = forms.CharField(label=_("Name in Bulgarian"), max_length=200, help_text=_("e.g. Община Сопот"))
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    ekatte = forms.CharField(
        label=_("EKATTE code"), max_length=5, required=False, help_text=_("Five digits.")
    )
    nuts = forms.CharField(label=_("NUTS code"), max_length=5, required=False, help_text=_("e.g. BG421"))
    year_start_month = forms.TypedChoiceField(
        label=_("The reporting year starts in"), choices=MONTHS, coerce=int, initial=1,
        help_text=_("January for the calendar year; April for April to March."),
    )  # fmt: skip
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
        label=_("Name"),
        max_length=80,
        required=False,
        help_text=_("Shown with their work; for a new account."),
    )


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=Role.choices)
