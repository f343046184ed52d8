"""The staff's forms for the council's register: a decision's record and its document."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.core.forms import DayMonthYearField

from . import presentation, selectors
from .models import Decision


class DecisionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Decision
        fields = [
            "number", "date", "session_kind", "protocol_number", "subject_bg", "subject_en", "text_bg",
            "text_en", "votes_for", "votes_against", "votes_abstained", "is_sample",
        ]  # fmt: skip
        field_classes = {"date": DayMonthYearField}
        widgets = {
            "subject_bg": forms.Textarea(attrs={"rows": 2}),
            "subject_en": forms.Textarea(attrs={"rows": 2}),
            "text_bg": forms.Textarea(attrs={"rows": 8}),
            "text_en": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "number": _("The number the council gave the decision; numbers start again every year."),
            "is_sample": _("Tick for an illustrative decision that the council did not take."),
        }

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DocumentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    upload = forms.FileField(
        label=_("Document of the decision"), help_text=_("The signed decision as a PDF, DOCX or ODT file.")
    )


class DecisionChoiceField(forms.ModelChoiceField):
    """A choice of one of the municipality's decisions, named as cited ("Decision № 42 of the
    Municipal Council of 20.04.2016 – subject"), newest first. For the forms of the records a
    decision acts on; set ``municipality`` to fill the choices."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Decision.objects.none())
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", _("No decision"))
        super().__init__(*args, **kwargs)

    def for_municipality(self, municipality) -> None:
        self.queryset = selectors.decision_choices(municipality=municipality)

    def label_from_instance(self, obj) -> str:
        subject = obj.subject
        if len(subject) > 90:
            subject = subject[:89] + "…"
        return f"{presentation.decision_title(obj)} – {subject}"
