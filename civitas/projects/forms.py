"""The back office's forms for projects and their parts: they check types and required fields;
the services check the rules."""

import json

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civitas.core.forms import DayMonthYearField, GroupedMultipleChoiceField, element_option_groups
from civitas.council.forms import DecisionChoiceField
from civitas.plans.forms import VersionedForm

from . import rules
from .models import Activity, FundingLine, Project, ProjectPartner


class LocationWidget(forms.Textarea):
    """The GeoJSON text of a location under "Advanced: GeoJSON", with a map above it on which the
    officer places a point or draws a line (static/civitas/map-picker.js); without JavaScript only
    the text, open."""

    template_name = "projects/widgets/location.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 3, "spellcheck": "false", **(attrs or {})})
        self.context_url = ""  # the GeoJSON of the municipality's located projects, for orientation

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["picker"] = {"tiles": settings.CIVITAS_MAP_TILES, "attribution": settings.CIVITAS_MAP_ATTRIBUTION,
                             "context_url": self.context_url}  # fmt: skip
        return context


class ProjectForm(VersionedForm):
    element_ids = GroupedMultipleChoiceField(
        label=_("Contributes to"), required=False,
        help_text=_("The elements of the plans the project serves, under each plan."),
    )  # fmt: skip
    location_text = forms.CharField(
        label=_("Location"),
        required=False,
        help_text=_(
            "Place a point or draw a line on the map. Or give it as GeoJSON text: a Point or a LineString "
            'in longitude and latitude, e.g. {"type": "Point", "coordinates": [24.75, 42.65]}.'
        ),
        widget=LocationWidget,
    )

    class Meta:
        model = Project
        fields = [
            "code", "slug", "title_bg", "title_en", "description_bg", "description_en", "status", "progress",
            "planned_start", "planned_end", "actual_start", "actual_end", "responsible_unit_bg",
            "responsible_unit_en", "responsible_person", "location_name_bg", "location_name_en", "declared_total",
            "declared_currency", "cofinancing_decision", "is_sample",
        ]  # fmt: skip
        widgets = {
            "description_bg": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
        }
        field_classes = {"planned_start": DayMonthYearField, "planned_end": DayMonthYearField,
                         "actual_start": DayMonthYearField, "actual_end": DayMonthYearField,
                         "cofinancing_decision": DecisionChoiceField}  # fmt: skip
        help_texts = {
            "progress": _("Leave it empty while progress is not reported: it is then shown as “not "
                          "reported”, never as 0 %."),
            "declared_total": _("The total budget as the project's documents state it; the pages flag "
                                "it when it differs from the sum of the funding lines."),
        }  # fmt: skip

    def __init__(self, *args, element_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["element_ids"].choices = element_option_groups(element_choices)
        if self.instance.municipality_id:
            self.fields["cofinancing_decision"].for_municipality(self.instance.municipality)
            self.fields["location_text"].widget.context_url = reverse(
                "portal:projects_map", args=[self.instance.municipality.slug]
            )
        if self.instance.pk:
            self.initial.setdefault(
                "element_ids",
                [str(pk) for pk in self.instance.contributions.values_list("element_id", flat=True)],
            )
            if self.instance.location:
                self.initial.setdefault(
                    "location_text", json.dumps(self.instance.location, ensure_ascii=False)
                )

    def clean_location_text(self):
        text = self.cleaned_data["location_text"].strip()
        if not text:
            return None
        try:
            geometry = json.loads(text)
        except json.JSONDecodeError:
            raise forms.ValidationError(
                _(
                    "This is not valid GeoJSON: check the brackets, commas and quotation marks, or "
                    "choose the place on the map."
                )
            ) from None
        if message := rules.check_geometry(geometry):
            raise forms.ValidationError(message)
        return geometry

    def service_fields(self) -> dict:
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        if not data["slug"]:
            data.pop("slug")
        data["location"] = self.cleaned_data["location_text"]
        data["element_ids"] = [int(pk) for pk in self.cleaned_data["element_ids"]]
        return data


class FundingLineForm(VersionedForm):
    class Meta:
        model = FundingLine
        fields = ["source", "programme_bg", "programme_en", "amount", "currency", "is_ceiling", "spent",
                  "grant_share", "contract_number", "contract_date"]  # fmt: skip
        field_classes = {"contract_date": DayMonthYearField}
        help_texts = {
            "is_ceiling": _("The funder states the most it may grant (“up to”), not a fixed amount."),
            "spent": _("In the line's currency. Leave it empty while spending is not reported: it is "
                       "then shown as “not reported”, never as 0."),
        }  # fmt: skip


class ActivityForm(VersionedForm):
    class Meta:
        model = Activity
        fields = ["title_bg", "title_en", "description_bg", "description_en", "is_milestone", "state",
                  "start_date", "due_date", "completed_on"]  # fmt: skip
        widgets = {
            "description_bg": forms.Textarea(attrs={"rows": 3}), "description_en": forms.Textarea(attrs={"rows": 3}),
        }  # fmt: skip
        field_classes = {"start_date": DayMonthYearField, "due_date": DayMonthYearField,
                         "completed_on": DayMonthYearField}  # fmt: skip


class PartnerForm(VersionedForm):
    class Meta:
        model = ProjectPartner
        fields = ["name_bg", "name_en", "role_bg", "role_en"]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("document", _("Document")), ("photo", _("Photo"))])
    title_bg = forms.CharField(label=_("Title (Bulgarian)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    upload = forms.FileField(label=_("File"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
