"""The back office's forms for the publicity register: they check types and required fields; the
services check the rules (counts from 0, http(s) links, sane dates, the municipality's own
projects and plans)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.core.forms import DayMonthYearField
from civitas.plans.forms import VersionedForm

from .models import Publication, PublicityEvent, PublicityMaterial


class SubjectForm(VersionedForm):
    """A record about a project and/or a plan of the municipality (chosen from its own)."""

    subject_fields = ("project", "plan")

    def __init__(self, *args, project_choices=(), plan_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"] = forms.TypedChoiceField(
            label=_("Project"), required=False, coerce=int, empty_value=None,
            choices=[("", _("None"))] + list(project_choices), initial=self.instance.project_id,
        )  # fmt: skip
        self.fields["plan"] = forms.TypedChoiceField(
            label=_("Plan"), required=False, coerce=int, empty_value=None,
            choices=[("", _("None"))] + list(plan_choices), initial=self.instance.plan_id,
        )  # fmt: skip
        self.order_fields(["project", "plan"])

    def _post_clean(self):
        """The services check the record (with the municipality's rules), not the model form."""

    def service_fields(self) -> dict:
        excluded = {"version", "project", "plan", "minutes_upload", "upload"}
        return {name: value for name, value in self.cleaned_data.items() if name not in excluded}


class EventForm(SubjectForm):
    minutes_upload = forms.FileField(
        label=_("Minutes"), required=False,
        help_text=_("The minutes of the event (PDF, DOCX or ODT). A new file replaces the one published."),
    )  # fmt: skip

    class Meta:
        model = PublicityEvent
        fields = ["kind", "title_bg", "title_en", "date", "time", "place_bg", "place_en", "participants",
                  "description_bg", "description_en", "is_sample"]  # fmt: skip
        field_classes = {"date": DayMonthYearField}
        widgets = {
            "time": forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric"}),
            "description_bg": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "time": _("For example, 11:00. Leave it empty if it is not known."),
            "participants": _("Leave it empty if they were not counted: it is then shown as “not counted”, never as 0."),
        }  # fmt: skip


class MaterialForm(SubjectForm):
    upload = forms.FileField(
        label=_("File or photo"), required=False,
        help_text=_("A photo of the material (JPEG, PNG or WebP) or its file (PDF). A new file replaces the one published."),
    )  # fmt: skip

    class Meta:
        model = PublicityMaterial
        fields = ["kind", "title_bg", "title_en", "quantity", "produced_on", "is_sample"]
        field_classes = {"produced_on": DayMonthYearField}
        help_texts = {
            "quantity": _("How many copies were printed or made. Leave it empty if it is not known.")
        }


class PublicationForm(SubjectForm):
    url = forms.URLField(
        label=_("Link"), max_length=1000, required=False, assume_scheme="https",
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
        help_text=_("The address of the publication, beginning with http:// or https://."),
    )  # fmt: skip

    class Meta:
        model = Publication
        fields = [
            "medium",
            "outlet_bg",
            "outlet_en",
            "title_bg",
            "title_en",
            "published_on",
            "url",
            "is_sample",
        ]
        field_classes = {"published_on": DayMonthYearField}
        help_texts = {"outlet_bg": _("For example, вестник „Диалог днес“.")}


class PhotoForm(forms.Form):
    caption_bg = forms.CharField(
        label=_("Caption (Bulgarian)"), max_length=300,
        help_text=_("What the photo shows: people who cannot see it read this."),
    )  # fmt: skip
    caption_en = forms.CharField(label=_("Caption (English)"), max_length=300, required=False)
    upload = forms.FileField(label=_("Photo"), help_text=_("A JPEG, PNG or WebP image."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
