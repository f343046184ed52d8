"""Staff forms for passports, targets and measurements: they check types and required fields; the
services check the rules."""

import datetime
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from civitas.core.forms import DayMonthYearField, GroupedMultipleChoiceField, parse_day_month_year
from civitas.core.models import Membership, Role
from civitas.evaluation.engine import OVERRIDE_STATUSES, Period, TargetKind

from . import imports, rules
from .evaluation import indicator_year_start
from .models import Frequency, Indicator, Measure
from .passport import PASSPORT_FIELDS, IndicatorPassport
from .presentation import FREQUENCY_LABELS, STATUS_LABELS


class NumberField(forms.DecimalField):
    """A measurement's number, read by rules.parse_number as the file import and the services read
    it: "12,5" and "12.5" alike, the digits 0–9 only, and only what the column holds exactly."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=rules.MAX_DIGITS, decimal_places=rules.DECIMAL_PLACES, **kwargs)

    def to_python(self, value):
        try:
            return rules.parse_number(value)
        except rules.NumberError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


# The passport's fields in its order; the disaggregation is typed as text (disaggregation_text).
PASSPORT_FORM_FIELDS = [name for name in PASSPORT_FIELDS if name != "disaggregation"]


class PassportForm(forms.ModelForm):
    """An indicator's passport: where it is attached, its fields, its disaggregation and the reason
    for a change to its baseline or targets."""

    attached_to = forms.ChoiceField(label=_("Attached to"), help_text=_("A plan element or a project."))
    disaggregation_text = forms.CharField(
        label=_("Disaggregation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One breakdown per line, as “key | Bulgarian name | English name: category key = Bulgarian | "
            "English; …”, e.g. “settlement | Населено място | Settlement: sopot = Сопот | Sopot; "
            "anevo = Анево | Anevo”. The values of each breakdown must add up to the total."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed when you change the baseline or a target; it is shown in the indicator's history."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    also_serves = GroupedMultipleChoiceField(
        label=_("Also serves"), required=False, coerce=int,
        help_text=_(
            "Other plan elements (of any plan) the indicator also contributes to: it is entered once, listed "
            "under each and counted in each one's assessment."
        ),
    )  # fmt: skip

    class Meta:
        model = Indicator
        fields = PASSPORT_FORM_FIELDS
        widgets = {
            "definition_bg": forms.Textarea(attrs={"rows": 3}),
            "definition_en": forms.Textarea(attrs={"rows": 3}),
            "method_bg": forms.Textarea(attrs={"rows": 2}),
            "method_en": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "target_kind": _(
                "A threshold is a standard to meet or stay within (e.g. “at least 90 %”): it may lie on "
                "either side of the baseline, and doing better than it is never marked down."
            ),
            "tolerance_amount": _(
                "How far a target may be missed and still be “at risk” rather than “off track”, when "
                "the indicator has no baseline or a threshold. Leave it empty to use the plan's."
            ),
            "year_to_date": _(
                "Each period's actual is the sum of the values since the start of its reporting year "
                "(quarterly figures reported “year to date”): the sum restarts every year. Only with "
                "cumulative accumulation."
            ),
        }

    def __init__(self, *args, municipality, attach_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attached_to"].choices = [("", "—"), *attach_choices]
        also_serves = cast(GroupedMultipleChoiceField, self.fields["also_serves"])
        also_serves.choices = _element_choices(attach_choices)
        if self.instance.pk:
            self.initial.setdefault("also_serves", [e.pk for e in self.instance.also_elements.all()])
        staff = (
            Membership.objects.filter(
                municipality=municipality, role__in=[Role.INDICATOR_OWNER, Role.ADMINISTRATOR]
            )
            .values_list("user_id", flat=True)
            .distinct()
        )
        owner = self.fields["owner"]
        owner.queryset = get_user_model().objects.filter(pk__in=staff).order_by("last_name", "username")
        owner.label_from_instance = lambda user: user.get_full_name() or user.username
        if self.instance.pk:
            self.initial.setdefault(
                "attached_to",
                f"element:{self.instance.element_id}"
                if self.instance.element_id
                else f"project:{self.instance.project_id}",
            )
            self.initial.setdefault("disaggregation_text", disaggregation_text(self.instance.disaggregation))
        else:
            del self.fields["reason"]
        # Not asked before issue 9: a form sent without it keeps the default, a trajectory.
        self.fields["target_kind"].required = False

    def clean_target_kind(self):
        return self.cleaned_data["target_kind"] or TargetKind.TRAJECTORY.value

    def clean_attached_to(self):
        kind, _sep, pk = self.cleaned_data["attached_to"].partition(":")
        if kind not in ("element", "project") or not pk.isdigit():
            raise forms.ValidationError(_("Choose a plan element or a project."))
        return kind, int(pk)

    def clean_disaggregation_text(self):
        try:
            return parse_disaggregation(self.cleaned_data["disaggregation_text"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def passport(self) -> IndicatorPassport:
        return IndicatorPassport(
            **{field: self.cleaned_data[field] for field in PASSPORT_FORM_FIELDS},
            disaggregation=self.cleaned_data["disaggregation_text"],
        )

    def service_fields(self) -> dict:
        """The services' keyword arguments from this form (indicator_create, indicator_edit)."""
        return {"passport": self.passport()}


def _element_choices(attach_choices) -> list:
    """The plan elements among the "attached to" choices (grouped by plan, or flat), by id."""
    found: list = []
    for value, label in attach_choices:
        if isinstance(label, (list, tuple)):  # a group: (plan, [(value, label), ...])
            options = [(int(v.split(":")[1]), text) for v, text in label if v.startswith("element:")]
            if options:
                found.append((value, options))
        elif value.startswith("element:"):
            found.append((int(value.split(":")[1]), label))
    return found


def disaggregation_text(dimensions: list[dict]) -> str:
    lines = []
    for dim in dimensions:
        name = dim.get("name", {})
        cats = "; ".join(
            f"{c['key']} = {c.get('bg', '')} | {c.get('en', '')}" for c in dim.get("categories", [])
        )
        lines.append(f"{dim['key']} | {name.get('bg', '')} | {name.get('en', '')}: {cats}")
    return "\n".join(lines)


def parse_disaggregation(text: str) -> list[dict]:
    """The disaggregation text of the passport form → the stored list; ValueError with a message."""
    dimensions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        head, sep, tail = line.partition(":")
        parts = [p.strip() for p in head.split("|")]
        categories: list[dict[str, str]] = []
        for item in tail.split(";"):
            if not item.strip():
                continue
            key, eq, names = item.partition("=")
            bg, _bar, en = names.partition("|")
            if not eq or not key.strip() or not bg.strip():
                categories = []
                break
            categories.append({"key": key.strip(), "bg": bg.strip(), "en": en.strip()})
        if not sep or not parts[0] or len(parts) < 2 or not categories:
            raise ValueError(
                str(
                    _(
                        "Line %(line)s: write “key | Bulgarian name | English name: key = Bulgarian | English; …”."
                    )
                )
                % {"line": number}
            )
        keys = [c["key"] for c in categories]
        if len(set(keys)) != len(keys):
            raise ValueError(str(_("Line %(line)s: a category key is repeated.")) % {"line": number})
        dimensions.append(
            {
                "key": parts[0],
                "name": {"bg": parts[1], "en": parts[2] if len(parts) > 2 else ""},
                "categories": categories,
            }
        )
    if len({d["key"] for d in dimensions}) != len(dimensions):
        raise ValueError(str(_("Two breakdowns have the same key.")))
    return dimensions


class TargetForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A year (2020), or a part of it: 2020-H1, 2020-Q3, 2020-07."),
    )
    value = forms.DecimalField(label=_("Target value"), max_digits=18, decimal_places=4)
    is_final = forms.BooleanField(label=_("Final target"), required=False)

    def __init__(self, *args, frequency: str = Frequency.ANNUAL, year_start: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.frequency = frequency
        self.year_start = year_start

    def clean_period(self):
        # A target is set for a year, or for a period of the indicator's own frequency.
        return parse_period(
            self.cleaned_data["period"], frequency=self.frequency, allow_year=True, year_start=self.year_start
        )


TargetFormSet = forms.formset_factory(TargetForm, extra=2, can_delete=True)

PERIOD_EXAMPLES = {
    Frequency.ANNUAL: "2020",
    Frequency.SEMIANNUAL: "2020-H1",
    Frequency.QUARTERLY: "2020-Q3",
    Frequency.MONTHLY: "2020-07",
}


def parse_period(
    text: str, *, frequency: str | None = None, allow_year: bool = False, year_start: int = 1
) -> tuple[int, int]:
    """(year, part of the year) of a period typed as 2020, 2020-H1, 2020-Q3 or 2020-07 (2023/24,
    2023/24-Q1 in reporting years starting in month ``year_start``). Given the indicator's
    ``frequency``, a period of another frequency is refused (2020-H2 is not a quarter: both would
    be stored as part 2), except a whole year where ``allow_year`` says so."""
    try:
        period = Period.parse(text.strip(), year_start)
    except ValueError:
        if year_start != 1:
            raise forms.ValidationError(
                _(
                    "Write the period as a reporting year (2023/24) or a part of it: 2023/24-H1, 2023/24-Q3 or a month 2023-07."
                )
            ) from None
        raise forms.ValidationError(
            _("Write the period as a year (2020) or a part of it: 2020-H1, 2020-Q3 or 2020-07.")
        ) from None
    kind = period.frequency
    if frequency is not None and kind != frequency and not (allow_year and kind is Frequency.ANNUAL):
        raise forms.ValidationError(
            _("The periods of this indicator are written like %(example)s (frequency: %(frequency)s).")
            % {
                "frequency": str(FREQUENCY_LABELS[Frequency(frequency)]).lower(),
                "example": PERIOD_EXAMPLES[Frequency(frequency)],
            }
        )
    return period.year, 0 if kind is Frequency.ANNUAL else period.index


def period_text(year: int, sub: int, frequency: str, year_start: int = 1) -> str:
    period = rules.period_of(year, sub, frequency, year_start)
    return period.label if period else f"{year}/{sub}"


class OverrideForm(forms.Form):
    """A verifier's status of one period of an indicator, with the public reason."""

    period = forms.CharField(label=_("Period"), max_length=12)
    status = forms.ChoiceField(
        label=_("Status assessed by the municipality"),
        choices=[(status.value, STATUS_LABELS[status]) for status in OVERRIDE_STATUSES],
        widget=forms.RadioSelect,
    )
    reason_bg = forms.CharField(
        label=_("Public reason (Bulgarian)"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=rules.OVERRIDE_REASON_MAX,
    )  # fmt: skip
    reason_en = forms.CharField(
        label=_("Public reason (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=rules.OVERRIDE_REASON_MAX,
    )  # fmt: skip
    decided_on = DayMonthYearField(
        label=_("Decided on"), required=False,
        help_text=_("Leave empty for today. For a past report, its date: the assessment is known from then on."),
    )  # fmt: skip
    # The id of the override the verifier saw (0: none), see services.override_set.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator: Indicator, year_start: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.year_start = year_start
        example = Period.of(
            2020, 0 if indicator.frequency == Frequency.ANNUAL else 1, indicator.frequency, year_start
        )
        self.fields["period"].help_text = gettext("For example %(example)s.") % {"example": example.label}

    def clean_period(self):
        return parse_period(
            self.cleaned_data["period"], frequency=self.indicator.frequency, year_start=self.year_start
        )


class MeasurementForm(forms.Form):
    """A period's value: a number, a numerator and denominator, or a score, with its breakdown."""

    period = forms.CharField(label=_("Period"), max_length=10)
    value = NumberField(label=_("Value"), required=False)
    numerator = NumberField(label=_("Numerator"), required=False)
    denominator = NumberField(label=_("Denominator"), required=False)
    collected_on = DayMonthYearField(label=_("Date collected"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(
        label=_("Evidence file"), required=False, help_text=_("PDF, office document, text or image.")
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, assume_scheme="https", max_length=rules.MAX_URL_LENGTH
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.year_start = indicator_year_start(indicator)
        if indicator.measure == Measure.PERCENTAGE:
            # A rate as reported, or its counts (docs/evaluation-rules.md §16).
            self.fields["value"].label = _("Percentage")
            self.fields["value"].help_text = _(
                "The percentage as reported, or leave it empty and give the numerator and denominator."
            )
            self.fields["numerator"].required = self.fields["denominator"].required = False
        else:
            del self.fields["numerator"], self.fields["denominator"]
            if indicator.measure == Measure.SCORE:
                self.fields["value"].label = _("Score")
                self.fields["value"].help_text = _("On the scale from %(lo)s to %(hi)s.") % {
                    "lo": plain(indicator.scale_min),
                    "hi": plain(indicator.scale_max),
                }
            elif indicator.unit:
                self.fields["value"].help_text = indicator.unit
        self.breakdown_fields = []
        for dim in indicator.disaggregation:
            for cat in dim.get("categories", []):
                name = f"breakdown__{dim['key']}__{cat['key']}"
                self.fields[name] = NumberField(
                    label=f"{_translated(dim.get('name', {}))}: {_translated(cat)}", required=False
                )
                self.breakdown_fields.append(name)

    def clean_period(self):
        return parse_period(
            self.cleaned_data["period"], frequency=self.indicator.frequency, year_start=self.year_start
        )

    def breakdown(self) -> dict:
        """Only the breakdowns with at least one value entered; an empty category counts as 0."""
        result = {}
        for dim in self.indicator.disaggregation:
            values = {
                cat["key"]: self.cleaned_data.get(f"breakdown__{dim['key']}__{cat['key']}")
                for cat in dim.get("categories", [])
            }
            if any(v is not None for v in values.values()):
                result[dim["key"]] = {k: (v if v is not None else 0) for k, v in values.items()}
        return result

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "value": data.get("value"),
            "numerator": data.get("numerator"),
            "denominator": data.get("denominator"),
            "breakdown": self.breakdown(),
        }


def measurement_initial(measurement, indicator: Indicator) -> dict:
    initial = {
        "period": period_text(
            measurement.year, measurement.sub, indicator.frequency, indicator_year_start(indicator)
        ),
        "value": _plain_or_none(measurement.value),
        "numerator": _plain_or_none(measurement.numerator),
        "denominator": _plain_or_none(measurement.denominator),
        "collected_on": measurement.collected_on,
        "comment": measurement.comment,
        "evidence_url": measurement.evidence_url,
        "version": measurement.version,
    }
    for dim, values in (measurement.breakdown or {}).items():
        for cat, value in values.items():
            initial[f"breakdown__{dim}__{cat}"] = value
    return initial


class CorrectionForm(MeasurementForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the indicator's public history."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("period", "collected_on", "comment", "evidence", "evidence_url"):
            del self.fields[name]
        self.fields["reason"].required = True


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the owner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you return the value: say what needs to change."),
    )


class IndicatorFilterForm(forms.Form):
    plan = forms.ChoiceField(label=_("Plan"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    unit = forms.ChoiceField(label=_("Responsible unit"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, choices: dict, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        for name, field_choices in (
            ("plan", [everything, *((p.slug, p.title) for p in choices["plans"]),
                      ("projects", _("Projects' own indicators"))]),
            ("owner", [everything, *((str(pk), name) for pk, name in choices["owners"]), ("none", _("No owner"))]),
            ("unit", [everything, *((u, u) for u in choices["units"])]),
            ("status", [everything, *statuses]),
        ):  # fmt: skip
            cast(forms.ChoiceField, self.fields[name]).choices = field_choices

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


def _translated(names: dict) -> str:
    return names.get(get_language() or "bg") or names.get("bg", "")


def _plain_or_none(value):
    return None if value is None else plain(value)


def plain(value) -> str:
    """A stored decimal as a form shows it: 200, not 200.0000."""
    if value is None:
        return "–"
    return format(value.normalize(), "f")


class UploadForm(forms.Form):
    """A measurements file to import (the template filled in)."""

    file = forms.FileField(
        label=_("Measurements file (XLSX or CSV)"),
        help_text=_("Up to 5 MB. Use the template: one row per indicator and period."),
    )
    submit = forms.BooleanField(
        label=_("Submit the values for approval at once"),
        required=False,
        help_text=_("Otherwise they are saved as drafts that you can still change."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                gettext(
                    "The file is %(size)s MB; files up to %(limit)s MB are accepted: split it into smaller files."
                )
                % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": imports.MAX_BYTES // 1024 // 1024}
            )
        return upload


class PublishedUploadForm(forms.Form):
    """A file of values that a document of the municipality has already published (the set-up of a
    municipality: its last report's values), with that document: they are recorded as published."""

    file = UploadForm.base_fields["file"]
    document = forms.FileField(
        label=_("The published document"),
        required=False,
        help_text=_(
            "The report the values are published in (PDF, DOCX, XLSX, ODT …): every value's evidence."
        ),
    )
    document_url = forms.URLField(
        label=_("Or its link"), required=False, assume_scheme="https",
        help_text=_("The document's address on the municipality's site, if you do not upload it."),
    )  # fmt: skip
    confirm = forms.BooleanField(
        label=_("These values are already published in this document"),
        help_text=_("They are published at once, in your name, with the document as their evidence."),
    )

    clean_file = UploadForm.clean_file

    def clean(self):
        data = super().clean()
        if not data.get("document") and not data.get("document_url") and "document_url" not in self.errors:
            self.add_error(
                "document",
                gettext("Give the published document the values come from: upload it or give its link."),
            )
        return data


AS_OF_INVALID = _("Enter a real date, day first, for example 31.12.2019 (or 2019-12-31).")


class AsOfForm(forms.Form):
    """The date an evaluation is made for (``?as_of=`` on the plan and indicator pages and the plan
    exports), typed day first (31.12.2019) whatever the browser's language, or as the pages' own
    links spell it (2019-12-31); empty: the plan's own evaluation date."""

    as_of = forms.CharField(label=_("Assessed as of"), required=False, max_length=40)

    def clean_as_of(self):
        text = self.cleaned_data["as_of"].strip()
        if not text:
            return None
        value = parse_day_month_year(text)
        if value is None:
            raise forms.ValidationError(AS_OF_INVALID)
        return value


def chosen_as_of(query) -> tuple[AsOfForm, datetime.date | None]:
    """The as-of date the query chose (None: none, or not a valid date: the form says why)."""
    form = AsOfForm(query if query.get("as_of") else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["as_of"]
    return form, None


def as_of_is_valid(query) -> bool:
    """Whether the query names no as-of date or a valid one in the pages' own spelling
    (YYYY-MM-DD): only those pages are cached, so that each date has one cached copy."""
    if not query.get("as_of"):
        return True
    chosen = chosen_as_of(query)[1]
    return chosen is not None and chosen.isoformat() == query["as_of"]
