"""Forms of the consultation pages. The forms check types; ``rules`` and the services check the
rules."""

import uuid
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.core.forms import DayMonthYearTimeField
from civitas.council.forms import DecisionChoiceField
from civitas.plans.models import Plan, PlanVersion, VersionKind

from .models import Consultation, ConsultationStatus, Decision, Source


class ProposalForm(forms.Form):
    """A citizen's proposal. ``target`` says what it is about ("p<id>" a paragraph, "s<id>" a
    section, empty the whole draft); ``key`` is a random token of the form, so that sending it
    twice stores one proposal; ``website`` is a honeypot people never see."""

    text = forms.CharField(
        label=_("Your proposal"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text; at most 5,000 characters."),
    )  # fmt: skip
    organisation = forms.CharField(
        label=_("On behalf of an organisation"), max_length=200, required=False,
        help_text=_("Leave empty when you write for yourself."),
    )  # fmt: skip
    attachment = forms.FileField(
        label=_("Attachment"), required=False,
        help_text=_("PDF, DOCX, XLSX, ODT, ODS, text or an image, up to 10 MB."),
    )  # fmt: skip
    target = forms.CharField(widget=forms.HiddenInput, required=False)
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, target: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].initial = target
        self.fields["key"].initial = uuid.uuid4().hex

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


def version_label(version: PlanVersion) -> str:
    return _("%(plan)s, version %(number)s (published on %(date)s)") % {
        "plan": version.plan.title,
        "number": version.number,
        "date": version.effective_on.strftime("%d.%m.%Y") if version.effective_on else "—",
    }


class ConsultationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Consultation
        fields = [
            "title_bg", "title_en", "slug", "summary_bg", "summary_en", "plan", "plan_version", "document", "opens_at",
            "closes_at", "short_period_reason", "premoderation", "is_sample",
        ]  # fmt: skip
        widgets = {
            "summary_bg": forms.Textarea(attrs={"rows": 4}),
            "summary_en": forms.Textarea(attrs={"rows": 4}),
            "short_period_reason": forms.Textarea(attrs={"rows": 3}),
            "document": forms.FileInput,
        }
        field_classes = {"opens_at": DayMonthYearTimeField, "closes_at": DayMonthYearTimeField}
        help_texts = {
            "short_period_reason": _("Only for a period shorter than 30 days (art. 26(4) of the Normative Acts Act); "
                                     "shown publicly."),
            "document": _("The draft as a file (PDF, DOCX, ODT…), up to 10 MB."),
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(municipality=self.instance.municipality)
        self.fields["plan_version"].queryset = (
            PlanVersion.objects.filter(
                plan__municipality=self.instance.municipality, kind=VersionKind.CONSULTATION_DRAFT
            )
            .select_related("plan")
            .defer("snapshot")
            .order_by("plan__title_bg", "number")
        )
        self.fields["plan_version"].label_from_instance = version_label
        self.fields["plan_version"].help_text = _(
            "A draft for public consultation of the plan above (published from the plan's versions page)."
        )
        if self.instance.status == ConsultationStatus.OPEN:
            self.fields["opens_at"].help_text = _("The consultation is open: its opening date cannot change.")

    def _post_clean(self):
        """The services validate and save; the form only converts types."""

    def service_fields(self) -> dict:
        fields = {f: self.cleaned_data[f] for f in self.Meta.fields if f != "document"}
        fields["document"] = self.cleaned_data.get("document") or None
        return fields


class ResultsDecisionForm(forms.Form):
    """The council's decision that adopts the results of the consultation."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    results_decision = DecisionChoiceField(
        label=_("Decision of the council that adopts the results"),
        help_text=_("Record the decision in the council's register first; it is then offered here."),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results_decision"].for_municipality(municipality)


class VersionForm(forms.Form):
    """The version of the consultation a page's button was shown with (e.g. "Generate the draft
    from the plan")."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DraftTextForm(forms.Form):
    text_bg = forms.CharField(
        label=_("The draft's text (Bulgarian)"), widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("Paragraphs are separated by blank lines. A line starting with “#”, or with Глава, Раздел, "
                    "Част or Приложение, begins a new section with that heading."),
    )  # fmt: skip
    text_en = forms.CharField(
        label=_("The draft's text (English)"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Optional; it must have the same sections and paragraphs as the Bulgarian."),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the consultation's


class RecordForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Received by"), choices=[(s.value, s.label) for s in Source if s != Source.PORTAL]
    )
    received_at = DayMonthYearTimeField(label=_("Received on"))
    submitter_name = forms.CharField(label=_("Name of the sender"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    target = forms.ChoiceField(label=_("About"), required=False)
    text = forms.CharField(label=_("Proposal"), widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(label=_("Attachment (e.g. the scanned letter)"), required=False)

    def __init__(self, *args, targets: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = targets


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("", "—"), *Decision.choices])
    reasons_bg = forms.CharField(
        label=_("Reasons (Bulgarian)"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required unless the proposal is accepted; published in the table of proposals and answers."),
    )  # fmt: skip
    reasons_en = forms.CharField(
        label=_("Reasons (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
