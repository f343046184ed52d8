"""The back office's forms for annual reports: they check types and required fields; the services
check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.core.forms import DayMonthYearField

from .models import ReportFormat, ReportLanguage


class ReportCreateForm(forms.Form):
    plan: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Plan"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


def _text(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 8}))


class NarrativeForm(forms.Form):
    conditions_bg = _text(_("1. General conditions and socio-economic change (Bulgarian)"))
    conditions_en = _text(_("1. General conditions and socio-economic change (English)"))
    actions_bg = _text(_("3. Actions about the indicators off track (Bulgarian)"))
    actions_en = _text(_("3. Actions about the indicators off track (English)"))
    conclusions_bg = _text(_("4. Conclusions and proposals (Bulgarian)"))
    conclusions_en = _text(_("4. Conclusions and proposals (English)"))
    as_of = DayMonthYearField(
        label=_("Data as of"),
        required=False,
        help_text=_("Leave it empty for the last day of the reporting year."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def narrative(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if name not in ("as_of", "version")}


class GenerateForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, widget=forms.RadioSelect)
    language = forms.ChoiceField(
        label=_("Language"), choices=ReportLanguage.choices, widget=forms.RadioSelect
    )


class ApproveForm(forms.Form):
    decision: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Council decision"),
        queryset=None,
        help_text=_(
            "The decision of the municipal council that approved the report (from the register of decisions)."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
