"""Helpers shared by every app's forms."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .errors import ConflictError


def run_service(form, call) -> bool:
    """Call a service; put its ValidationError on the form (fields or non-field). True on success."""
    try:
        call()
    except ConflictError as error:
        form.add_error(None, error.messages[0])
        return False
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                target = field if field in form.fields else None
                if field == "element_ids" and "element_ids" in form.fields:
                    target = "element_ids"
                for item in errors:
                    form.add_error(target, item.messages[0] if hasattr(item, "messages") else item)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return False
    return True


def edited_version(form) -> int:
    """The version of the record the editor's form was opened on (its hidden ``version`` field).
    A form without it cannot show that nobody saved in between, so it is refused as a conflict
    rather than saved over whatever is stored now. Call it inside the service call that
    ``run_service`` makes, so that the refusal shows on the form."""
    version = form.cleaned_data.get("version")
    if version is None:
        raise ConflictError()
    return version


# Dates as people write them ---------------------------------------------------------------------
# A browser's ``type=date`` input follows the browser's locale (mm/dd/yyyy in an English Chromium),
# so the back office asks for day, month and year as text and reads them the same way whatever the
# language: 27.3.2014, 27/03/2014, 27 3 2014 (and 2014-03-27, as files and older forms write it).

_SEPARATOR = r"\s*[./\-\s]\s*"
_DAY_MONTH_YEAR = re.compile(
    rf"(?P<day>\d{{1,2}}){_SEPARATOR}(?P<month>\d{{1,2}}){_SEPARATOR}(?P<year>\d{{4}})\s*(?:г\.?)?"
)
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_TIME = re.compile(r"(?:(?:T|,?\s*)(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?)?\s*")
DATE_DISPLAY_FORMAT = "%d.%m.%Y"
DATETIME_DISPLAY_FORMAT = "%d.%m.%Y %H:%M"


def parse_day_month_year(text: str, *, with_time: bool = False) -> datetime.date | datetime.datetime | None:
    """A date (or with ``with_time``, a naive date and time: midnight when no time is written) read
    day first, or None when ``text`` is not one. Independent of the language and the browser."""
    text = text.strip()
    for pattern in (_DAY_MONTH_YEAR, _ISO):
        found = pattern.match(text)
        rest = text[found.end() :] if found else ""
        time = _TIME.fullmatch(rest) if with_time else None
        if not found or (time is None and (with_time or rest)):
            continue
        try:
            date = datetime.date(int(found["year"]), int(found["month"]), int(found["day"]))
            if time is None:
                return date
            return datetime.datetime.combine(
                date, datetime.time(int(time["hour"] or 0), int(time["minute"] or 0))
            )
        except ValueError:
            return None
    return None


class DayMonthYearInput(forms.DateInput):
    """A text box for a date written day first (never the browser's locale-bound date picker)."""

    input_type = "text"

    def __init__(self, attrs=None, format=None):
        super().__init__(
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "off", "spellcheck": "false",
                   **(attrs or {})},
            format=format or DATE_DISPLAY_FORMAT,
        )  # fmt: skip


class DayMonthYearTimeInput(forms.DateTimeInput):
    """A text box for a date and time written day first, e.g. 27.03.2014 14:30."""

    input_type = "text"

    def __init__(self, attrs=None, format=None):
        super().__init__(
            attrs={"class": "govuk-input govuk-input--width-20", "autocomplete": "off", "spellcheck": "false",
                   **(attrs or {})},
            format=format or DATETIME_DISPLAY_FORMAT,
        )  # fmt: skip


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _with_hint(help_text, hint):
    return format_lazy("{} {}", help_text, hint) if help_text else hint


class DayMonthYearField(forms.DateField):
    """A date typed as day, month, year (27.3.2014, 27/3/2014, 27 3 2014) in any language."""

    widget = DayMonthYearInput
    default_error_messages = {"invalid": _("Enter a real date, for example 27.3.2014.")}

    def __init__(self, *, help_text="", **kwargs):
        kwargs.pop("input_formats", None)
        super().__init__(help_text=_with_hint(help_text, _("For example, 27.3.2014")), **kwargs)

    def to_python(self, value):
        value = _stripped(value)
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        parsed = parse_day_month_year(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class DayMonthYearTimeField(forms.DateTimeField):
    """A date and time typed day first, the time after it (27.3.2014 14:30; midnight without one),
    in the site's time zone."""

    widget = DayMonthYearTimeInput
    default_error_messages = {"invalid": _("Enter a real date and time, for example 27.3.2014 14:30.")}

    def __init__(self, *, help_text="", **kwargs):
        kwargs.pop("input_formats", None)
        super().__init__(help_text=_with_hint(help_text, _("For example, 27.3.2014 14:30")), **kwargs)

    def to_python(self, value):
        value = _stripped(value)
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return from_current_timezone(value) if timezone.is_naive(value) else value
        if isinstance(value, datetime.date):
            return from_current_timezone(datetime.datetime.combine(value, datetime.time()))
        parsed = parse_day_month_year(str(value), with_time=True)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return from_current_timezone(parsed)


# Long choices, grouped ---------------------------------------------------------------------------


class GroupedChoicesWidget(forms.SelectMultiple):
    """A ``<select multiple>`` with an ``<optgroup>`` per group (a plan's elements under the plan).
    ``civitas/forms.js`` adds a filter box and the list of chosen options; without JavaScript the
    select itself works (Ctrl/Cmd-click)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "govuk-select civitas-grouped-select", "size": "12", **(attrs or {})}
        )


class GroupedMultipleChoiceField(forms.TypedMultipleChoiceField):
    """Many choices out of long grouped lists: [(group label, [(value, label), ...]), ...]."""

    widget = GroupedChoicesWidget


_INDENT = "\u00a0" * 3  # a space the browser keeps at the start of an option


def element_option_groups(element_choices, *, value=str) -> list:
    """The grouped choices of plan elements, from ``plans.selectors.element_choices``: one group per
    plan, each element with its full code and title, indented by its depth in the tree."""
    return [
        (str(plan), [(value(element.pk), f"{_INDENT * depth}{element.code} {element.title_bg}")
                     for element, depth in elements])
        for plan, elements in element_choices
    ]  # fmt: skip


# The GOV.UK look of a field's input -------------------------------------------------------------

_WIDTH_BY_LENGTH = ((4, "govuk-input--width-4"), (10, "govuk-input--width-10"), (20, "govuk-input--width-20"),
                    (40, "govuk-input--width-30"))  # fmt: skip


def govuk_input_class(field: forms.Field) -> str:
    """The GOV.UK classes of a field's input, its width fitted to what it holds: short codes and
    numbers narrow, titles the column's width."""
    widget = field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
        return ""
    if isinstance(widget, forms.Textarea):
        return "govuk-textarea"
    if isinstance(widget, forms.Select):
        return "govuk-select"
    if isinstance(widget, forms.FileInput):
        return "govuk-file-upload"
    if isinstance(field, (forms.DecimalField, forms.IntegerField, forms.FloatField)):
        return "govuk-input govuk-input--width-10"
    if isinstance(widget, forms.DateInput | forms.DateTimeInput):
        return "govuk-input govuk-input--width-10"
    max_length = getattr(field, "max_length", None)
    for limit, width in _WIDTH_BY_LENGTH:
        if max_length and max_length <= limit:
            return f"govuk-input {width}"
    return "govuk-input"
