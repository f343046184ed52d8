"""The back office's form fields (core/forms.py, templatetags/staff_forms.py): dates typed day first
in any language, long grouped choices, inputs sized to their content and described by their errors."""

import datetime
import zoneinfo

import pytest
from django import forms
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

from civitas.core.forms import (
    DayMonthYearField,
    DayMonthYearTimeField,
    GroupedMultipleChoiceField,
    govuk_input_class,
    parse_day_month_year,
)


class DatesForm(forms.Form):
    day = DayMonthYearField(label="Day", required=False)
    moment = DayMonthYearTimeField(label="Moment", required=False)


@pytest.mark.parametrize(
    "typed",
    [
        "27.3.2014",
        "27.03.2014",
        "27/3/2014",
        "27/03/2014",
        "27 3 2014",
        "27-3-2014",
        " 27.3.2014 г. ",
        "2014-03-27",
    ],
)
@pytest.mark.parametrize("language", ["bg", "en"])
def test_a_date_typed_day_first_is_read_the_same_in_every_language(typed, language):
    with translation.override(language):
        form = DatesForm({"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2014, 3, 27)


@pytest.mark.parametrize("typed", ["3/27/2014", "31.2.2014", "27.3.14", "27.3", "tomorrow", "27.13.2014"])
def test_a_date_that_is_not_a_real_day_month_year_is_refused_with_an_example(typed):
    with translation.override("en"):
        form = DatesForm({"day": typed})
        assert not form.is_valid()
        assert form.errors["day"] == ["Enter a real date, for example 27.3.2014."]


def test_an_empty_date_is_none_and_a_required_one_is_asked_for():
    form = DatesForm({"day": "  ", "moment": ""})
    assert form.is_valid() and form.cleaned_data == {"day": None, "moment": None}

    class Required(forms.Form):
        day = DayMonthYearField(label="Day")

    assert Required({"day": ""}).errors["day"] == [forms.Field.default_error_messages["required"]]


def test_a_date_is_shown_day_first_in_a_text_box_never_the_browsers_date_picker():
    html = str(DatesForm(initial={"day": datetime.date(2014, 3, 27)})["day"])
    assert 'type="text"' in html and 'value="27.03.2014"' in html and 'type="date"' not in html


def test_a_date_field_carries_its_example_after_its_own_hint():
    with translation.override("en"):
        assert (
            str(DayMonthYearField(help_text="When it began.").help_text)
            == "When it began. For example, 27.3.2014"
        )


@override_settings(TIME_ZONE="Europe/Sofia")
def test_a_date_and_time_is_read_in_the_sites_time_zone_and_shown_back_the_same():
    sofia = zoneinfo.ZoneInfo("Europe/Sofia")
    with timezone.override(sofia):
        form = DatesForm({"moment": "27.3.2014 14:30"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["moment"] == datetime.datetime(2014, 3, 27, 14, 30, tzinfo=sofia)
        assert DatesForm({"moment": "27/03/2014"}).is_valid()  # midnight
        shown = str(DatesForm(initial={"moment": form.cleaned_data["moment"]})["moment"])
        assert 'value="27.03.2014 14:30"' in shown
        again = DatesForm({"moment": "27.03.2014 14:30"})
        assert again.is_valid() and again.cleaned_data["moment"] == form.cleaned_data["moment"]
    assert not DatesForm({"moment": "27.3.2014 25:00"}).is_valid()


def test_the_parser_reads_times_with_a_colon_or_a_dot_and_iso_dates():
    assert parse_day_month_year("27.03.2014, 9.05", with_time=True) == datetime.datetime(2014, 3, 27, 9, 5)
    assert parse_day_month_year("2014-03-27T14:30", with_time=True) == datetime.datetime(2014, 3, 27, 14, 30)
    assert parse_day_month_year("27.3.2014 14:30") is None  # a date field takes no time


class ElementsForm(forms.Form):
    elements = GroupedMultipleChoiceField(label="Elements", required=False, coerce=int)


def test_grouped_choices_render_one_optgroup_per_group_and_keep_the_full_titles():
    form = ElementsForm()
    long_title = "Развитие на конкурентоспособна икономика, основана на знанието и иновациите в туризма"
    form.fields["elements"].choices = [
        ("План А", [(1, f"SG1 {long_title}"), (2, "SG2 Друго")]),
        ("План Б", [(3, "M1 Мярка")]),
    ]
    html = str(form["elements"])
    assert "<select" in html and "multiple" in html
    assert '<optgroup label="План А">' in html and '<optgroup label="План Б">' in html
    assert f"SG1 {long_title}</option>" in html


def test_grouped_choices_accept_options_of_any_group_and_refuse_others():
    form = ElementsForm({"elements": ["1", "3"]})
    form.fields["elements"].choices = [("А", [(1, "a"), (2, "b")]), ("Б", [(3, "c")])]
    assert form.is_valid() and form.cleaned_data["elements"] == [1, 3]
    refused = ElementsForm({"elements": ["9"]})
    refused.fields["elements"].choices = [("А", [(1, "a")])]
    assert not refused.is_valid()


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (forms.CharField(max_length=4), "govuk-input govuk-input--width-4"),
        (forms.CharField(max_length=10), "govuk-input govuk-input--width-10"),
        (forms.CharField(max_length=20), "govuk-input govuk-input--width-20"),
        (forms.CharField(max_length=40), "govuk-input govuk-input--width-30"),
        (forms.CharField(max_length=300), "govuk-input"),
        (forms.DecimalField(), "govuk-input govuk-input--width-10"),
        (forms.CharField(widget=forms.Textarea), "govuk-textarea"),
        (forms.ChoiceField(), "govuk-select"),
        (forms.BooleanField(), ""),
    ],
)
def test_inputs_are_sized_to_what_they_hold(field, expected):
    assert govuk_input_class(field) == expected


class TitleForm(forms.Form):
    code = forms.CharField(label="Code", max_length=10, help_text="As in the plan.")
    note = forms.CharField(label="Note", max_length=200, widget=forms.Textarea, required=False)


def render(template: str, form) -> str:
    return Template("{% load staff_forms %}" + template).render(Context({"form": form}))


def test_a_field_in_error_is_marked_and_described_by_its_hint_and_its_error():
    form = TitleForm({"code": ""})
    form.is_valid()
    html = render("{{ form.code|govuk_widget }}", form)
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in html
    assert 'aria-describedby="id_code_helptext id_code_error"' in html


def test_a_long_text_with_a_limit_counts_its_characters():
    html = Template('{% for field in form %}{% include "manage/_field.html" %}{% endfor %}').render(
        Context({"form": TitleForm()})
    )
    assert 'data-module="govuk-character-count" data-maxlength="200"' in html
    assert "govuk-js-character-count" in html and 'id="id_note-info"' in html


def test_the_error_summary_links_each_error_to_its_field_and_a_group_to_its_first_box():
    class Choices(forms.Form):
        code = forms.CharField(label="Code")
        kinds = forms.MultipleChoiceField(
            label="Kinds", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
        )

    form = Choices({})
    form.is_valid()
    html = Template('{% include "manage/_errors.html" %}').render(Context({"form": form}))
    assert 'data-module="govuk-error-summary"' in html and 'role="alert"' in html
    assert 'href="#id_code"' in html and 'href="#id_kinds_0"' in html
