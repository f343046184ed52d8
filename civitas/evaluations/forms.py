"""The back office's forms for evaluations: they check types and required fields; the services
check the rules (rules.py) and who may."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.consultations.models import Consultation
from civitas.core.forms import DayMonthYearField
from civitas.council.models import Decision
from civitas.indicators.models import Indicator
from civitas.plans.forms import VersionedForm
from civitas.plans.models import Plan
from civitas.projects.models import Project
from civitas.surveys.models import Survey

from .models import Evaluation, EvidenceKind, Rating, Recommendation

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class EvaluationForm(VersionedForm):
    class Meta:
        model = Evaluation
        fields = [
            "kind", "subject_kind", "plan", "policy_area", "project", "title_bg", "title_en", "evaluator_name_bg",
            "evaluator_name_en", "period_start", "period_end", "started_on", "completed_on", "summary_bg",
            "summary_en", "decision", "is_sample",
        ]  # fmt: skip
        widgets = {
            "summary_bg": forms.Textarea(attrs={"rows": 6}),
            "summary_en": forms.Textarea(attrs={"rows": 6}),
        }
        field_classes = {"started_on": DayMonthYearField, "completed_on": DayMonthYearField}
        help_texts = {
            "plan": _(
                "For a plan evaluation, the plan; for a policy area, the plan whose policy it is, if any."
            ),
            "evaluator_name_bg": _("The external body or team that wrote the evaluation."),
            "decision": _("The council decision that approved the evaluation, once there is one."),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(municipality=municipality).order_by(
            "-period_start"
        )
        self.fields["project"].queryset = Project.objects.filter(municipality=municipality).order_by("code")
        self.fields["decision"].queryset = Decision.objects.filter(municipality=municipality)
        if self.instance.pk and self.instance.is_published:
            # A published evaluation takes only its council decision (rules.EDITABLE_WHEN_PUBLISHED).
            for name, field in self.fields.items():
                if name not in ("decision", "version"):
                    field.disabled = True

    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class RatingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    rating = forms.TypedChoiceField(
        label=_("Rating"), choices=[("", _("Not rated yet")), *Rating.choices], coerce=int, empty_value=None,
        required=False,
    )  # fmt: skip
    findings_bg = forms.CharField(label=_("Findings (Bulgarian)"), widget=forms.Textarea(attrs={"rows": 8}),
                                  required=False)  # fmt: skip
    findings_en = forms.CharField(label=_("Findings (English)"), widget=forms.Textarea(attrs={"rows": 8}),
                                  required=False)  # fmt: skip


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=EvidenceKind.choices)
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), required=False
    )
    survey = forms.ModelChoiceField(label=_("Survey"), queryset=Survey.objects.none(), required=False)
    consultation = forms.ModelChoiceField(
        label=_("Consultation"), queryset=Consultation.objects.none(), required=False,
        help_text=_("Its table of proposals and answers is linked."),
    )  # fmt: skip
    upload = forms.FileField(label=_("Document"), required=False)
    url = forms.CharField(label=_("Web address"), required=False, max_length=500)
    label_bg = forms.CharField(label=_("Label (Bulgarian)"), required=False, max_length=300)
    label_en = forms.CharField(label=_("Label (English)"), required=False, max_length=300)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(municipality=municipality).order_by(
            "code"
        )
        self.fields["survey"].queryset = Survey.objects.filter(municipality=municipality).order_by("-pk")
        self.fields["consultation"].queryset = Consultation.objects.filter(
            municipality=municipality
        ).order_by("-pk")

    def target(self):
        kind = self.cleaned_data["kind"]
        return self.cleaned_data.get(kind) if kind in ("indicator", "survey", "consultation") else None


class RecommendationForm(VersionedForm):
    class Meta:
        model = Recommendation
        fields = ["text_bg", "text_en", "priority"]
        widgets = {"text_bg": TEXTAREA, "text_en": TEXTAREA}

    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ResponseForm(VersionedForm):
    class Meta:
        model = Recommendation
        fields = [
            "response", "response_reasons_bg", "response_reasons_en", "action_bg", "action_en",
            "responsible_unit_bg", "responsible_unit_en", "deadline", "status", "closing_note_bg", "closing_note_en",
        ]  # fmt: skip
        widgets = {
            "response_reasons_bg": TEXTAREA, "response_reasons_en": TEXTAREA, "action_bg": TEXTAREA,
            "action_en": TEXTAREA, "closing_note_bg": TEXTAREA, "closing_note_en": TEXTAREA,
        }  # fmt: skip
        field_classes = {"deadline": DayMonthYearField}
        help_texts = {
            "response_reasons_bg": _("Required when the recommendation is rejected."),
            "status": _(
                "A recommendation is marked done or closed only after the administration responds to it."
            ),
        }

    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}
