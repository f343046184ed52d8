"""The back office's forms for plans and their goal trees: they check types and required fields;
the services check the rules."""

from typing import cast

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from civitas.core.forms import DayMonthYearField
from civitas.council.forms import DecisionChoiceField

from .models import FinancialLine, Plan, PlanElement, PlanStatus


def year_start_field(*, required: bool, empty_label=None, help_text="") -> forms.TypedChoiceField:
    """The month a reporting year starts in, by its name."""
    choices: list[tuple[object, object]] = [(number, name) for number, name in MONTHS.items()]
    if empty_label is not None:
        choices = [("", empty_label), *choices]
    return forms.TypedChoiceField(
        label=_("Reporting year starts in"), choices=choices, coerce=int, empty_value=None, required=required,
        help_text=help_text,
    )  # fmt: skip


class VersionedForm(forms.ModelForm):
    """Carries the version the editor started from, for conflict detection."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanForm(VersionedForm):
    level_names_text = forms.CharField(
        label=_("Level names"),
        help_text=_(
            "One level per line, top first, as “Bulgarian | English”, e.g. “Стратегическа цел | Strategic goal”."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Plan
        fields = [
            "title_bg", "title_en", "slug", "kind", "period_start", "period_end", "vision_bg", "vision_en",
            "description_bg", "description_en", "adopted_by_bg", "adopted_by_en", "tolerance_amount", "tolerance_unit", "currency",
            "year_start_month", "position", "is_sample",
        ]  # fmt: skip
        widgets = {
            "vision_bg": forms.Textarea(attrs={"rows": 4}),
            "vision_en": forms.Textarea(attrs={"rows": 4}),
            "description_bg": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "tolerance_amount": _(
                "How far an indicator without a baseline, or with a threshold, may miss its target and "
                "still be “at risk” rather than “off track”. An indicator's own tolerance wins. Leave "
                "it empty for none."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].required = False  # not sent: the plan keeps its own (new plans: euro)
        self.fields["year_start_month"] = year_start_field(
            required=False,
            empty_label=_("As the municipality's"),
            help_text=_(
                "The month the plan's reporting years start in: January for calendar years, April for "
                "April–March years (periods are then written 2023/24, 2023/24-Q1)."
            ),
        )
        levels = (
            self.instance.level_names
            if self.instance.pk
            else [{"bg": "Стратегическа цел", "en": "Strategic goal"}]
        )
        self.fields["level_names_text"].initial = "\n".join(
            f"{lv.get('bg', '')} | {lv.get('en', '')}" for lv in levels
        )

    def clean_level_names_text(self):
        levels = []
        for line in self.cleaned_data["level_names_text"].splitlines():
            if line.strip():
                bg, _sep, en = line.partition("|")
                levels.append({"bg": bg.strip(), "en": en.strip()})
        return levels

    def service_fields(self) -> dict:
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        data["level_names"] = self.cleaned_data["level_names_text"]
        if not data["currency"]:
            del data["currency"]
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=PlanStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ElementForm(VersionedForm):
    class Meta:
        model = PlanElement
        fields = ["code", "title_bg", "title_en", "description_bg", "description_en"]
        widgets = {
            "description_bg": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }


class MoveForm(forms.Form):
    parent = forms.ChoiceField(label=_("Place under"), required=False)
    position = forms.IntegerField(label=_("Position among its siblings (1 = first)"), min_value=1)

    def __init__(self, *args, plan: Plan, element: PlanElement, tree, **kwargs):
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("— top level —")))]
        for item, depth in tree:
            choices.append((str(item.pk), f"{'– ' * depth}{item.code} {item.title_bg[:80]}"))
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ChoiceField)
        parent.choices = choices
        self.initial.setdefault("parent", str(element.parent_id or ""))
        self.initial.setdefault("position", element.position + 1)


class FinancialLineForm(VersionedForm):
    """A line of the plan's indicative financial table; the services check the rules."""

    element = forms.ChoiceField(label=_("Priority or measure"), required=False)

    class Meta:
        model = FinancialLine
        fields = ["source", "year", "amount", "currency"]
        help_texts = {
            "year": _("Leave it empty for an amount for the whole period of the plan."),
        }

    def __init__(self, *args, tree=(), **kwargs):
        super().__init__(*args, **kwargs)
        element = self.fields["element"]
        assert isinstance(element, forms.ChoiceField)
        element.choices = [("", str(_("— the plan as a whole —")))] + [
            (str(item.pk), f"{'– ' * depth}{item.code} {item.title_bg[:80]}") for item, depth in tree
        ]
        self.order_fields(["element", *self.Meta.fields])
        if self.instance.pk:
            self.initial.setdefault("element", str(self.instance.element_id or ""))
        self.elements = {str(item.pk): item for item, _depth in tree}

    def service_fields(self) -> dict:
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        data["element"] = self.elements.get(self.cleaned_data["element"] or "")
        return data


class AssessmentForm(forms.Form):
    """An element's assessment of one year: what was done, what held it back, and whether to publish."""

    achieved_bg = forms.CharField(
        label=_("What was done (Bulgarian)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    achieved_en = forms.CharField(
        label=_("What was done (English)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    obstacles_bg = forms.CharField(
        label=_("What held it back (Bulgarian)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    obstacles_en = forms.CharField(
        label=_("What held it back (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    publish = forms.BooleanField(
        label=_("Published: shown on the plan's page"), required=False,
        help_text=_("Leave it unticked to keep the assessment for staff until it is ready."),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# Versions of a plan ---------------------------------------------------------------------------------


class VersionNoteForm(forms.Form):
    """Start a new draft version: what it is for."""

    note_bg = forms.CharField(label=_("What the version is for (Bulgarian)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    note_en = forms.CharField(label=_("What the version is for (English)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class VersionPublishForm(VersionNoteForm):
    published_on = DayMonthYearField(
        label=_("Published on"), required=False, help_text=_("Today unless given, e.g. 10.01.2014.")
    )


class VersionAdoptForm(forms.Form):
    decision = DecisionChoiceField(
        label=_("Council decision"), required=True, empty_label=None,
        help_text=_("Decisions of the municipality's council, latest first. Record the decision in the register "
                    "first if it is not there."),
    )  # fmt: skip
    effective_on = DayMonthYearField(
        label=_("In force from"), required=False, help_text=_("The decision's date unless given.")
    )
    note_bg = forms.CharField(label=_("What changed (Bulgarian)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    note_en = forms.CharField(label=_("What changed (English)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        cast(DecisionChoiceField, self.fields["decision"]).for_municipality(municipality)
