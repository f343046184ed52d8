"""Pure rules for indicator passports and measurements (no database). Used by services and imports.

Each ``check_*`` returns a dict {field: [messages]}; empty means valid. ``parse_number`` is the one
reading of a measurement's number, for the form, the file import and the services alike.
"""

import math
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from civitas.evaluation.engine import Period

if TYPE_CHECKING:  # the models' module is not needed to run the rules
    from .models import Indicator

MEASURES = {"number", "percentage", "score"}
DIRECTIONS = {"increase", "decrease", "maintain"}


# The size of Measurement.value, numerator and denominator (DecimalField(max_digits=18,
# decimal_places=4)); a test checks that the model agrees.
MAX_DIGITS, DECIMAL_PLACES = 18, 4
# Longer text is no number that fits; refusing it at once keeps the work per cell small.
_MAX_NUMBER_TEXT = 60
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_GROUPING = str.maketrans("", "", " \u00a0\u202f\u2009")  # thousands separators: 1 234 567


class NumberError(ValueError):
    """A value that is not a number that can be stored; ``str()`` is the message, in the language
    active when it was raised."""


def parse_number(
    raw, *, max_digits: int = MAX_DIGITS, decimal_places: int = DECIMAL_PLACES
) -> Decimal | None:
    """The number in ``raw`` as it will be stored, or None when it is empty.

    Reads numbers (int, float, Decimal) and text: ``12.5``, ``12,5``, ``1 234,5``, ``-3``, ``1e3``,
    in the digits 0–9 only (Python itself would read Arabic-Indic or full-width digits). Raises
    NumberError for anything else, for NaN and infinities, for more than ``max_digits -
    decimal_places`` digits before the point and for more than ``decimal_places`` digits after it
    (trailing zeros do not count): what the database column cannot hold exactly is refused,
    never rounded or stored to break the pages that read it.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    shown = str(raw).strip()
    shown = shown if len(shown) <= 30 else shown[:30] + "…"
    if isinstance(raw, bool):
        raise NumberError(_("“%(value)s” is not a number.") % {"value": shown})
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise NumberError(_("“%(value)s” is not a number.") % {"value": shown})
        # Spreadsheets keep 15 significant digits: 0.1 + 0.2 is 0.3 there, not 0.30000000000000004.
        number = Decimal(f"{raw:.15g}")
    elif isinstance(raw, int | Decimal):
        number = Decimal(raw)
    else:
        text = str(raw).strip().translate(_GROUPING)
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        if len(text) > _MAX_NUMBER_TEXT or not _NUMBER.fullmatch(text):
            if any(char.isdigit() and not char.isascii() for char in text):
                raise NumberError(
                    _("“%(value)s” is not a number: write it with the digits 0–9.") % {"value": shown}
                )
            raise NumberError(_("“%(value)s” is not a number.") % {"value": shown})
        number = Decimal(text)
    sign, stored, exponent = number.as_tuple()
    if not number.is_finite() or not isinstance(exponent, int):  # NaN and infinities ("n", "N", "F")
        raise NumberError(_("“%(value)s” is not a number.") % {"value": shown})
    digits = list(stored)
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:  # 12.50 has two decimals, not three
        digits.pop()
        exponent += 1
    if not any(digits):
        return Decimal(0)
    whole = max(len(digits) + exponent, 0)
    if whole > max_digits - decimal_places:
        raise NumberError(
            _("“%(value)s” is too large: write at most %(digits)s digits before the decimal point.")
            % {"value": shown, "digits": max_digits - decimal_places}
        )
    if -exponent > decimal_places:
        raise NumberError(
            _("“%(value)s” has more than %(places)s digits after the decimal point: round it.")
            % {"value": shown, "places": decimal_places}
        )
    if exponent > 0:  # 1e3 is stored and shown as 1000
        digits, exponent = digits + [0] * exponent, 0
    return Decimal((sign, tuple(digits), exponent))


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def check_passport(data: dict, *, period: tuple[int, int] | None) -> dict:
    """A passport's fields: scale for scores, tolerance for "maintain", baseline, weight."""
    errors: dict = {}
    if data.get("measure") == "score":
        lo, hi = data.get("scale_min"), data.get("scale_max")
        if lo is None or hi is None:
            _add(
                errors, "scale_max", _("A qualitative score needs the lowest and highest value of its scale.")
            )
        elif lo >= hi:
            _add(errors, "scale_max", _("The highest value of the scale must be above the lowest."))
    if data.get("direction") == "maintain":
        tolerance = data.get("tolerance")
        if tolerance is None or tolerance < 0:
            _add(errors, "tolerance", _("An indicator to maintain needs a tolerance band of zero or more."))
    baseline, year = data.get("baseline_value"), data.get("baseline_year")
    if baseline is None:
        if not (data.get("baseline_unavailable_reason_bg") or "").strip():
            _add(errors, "baseline_value", _("Give a baseline value and year, or say why there is none."))
    elif year is None:
        _add(errors, "baseline_year", _("Give the year of the baseline value."))
    if year is not None and period is not None and not (period[0] - 10 <= year <= period[1]):
        _add(
            errors,
            "baseline_year",
            _("The baseline year must fall before or within the plan's period %(start)s–%(end)s.")
            % {"start": period[0], "end": period[1]},
        )
    weight = data.get("weight")
    if weight is not None and weight <= 0:
        _add(errors, "weight", _("The weight must be above zero."))
    if data.get("measure") == "score" and baseline is not None and not errors.get("scale_max"):
        errors.update(
            check_score(baseline, data.get("scale_min"), data.get("scale_max"), field="baseline_value")
        )
    return errors


def check_score(value, lo, hi, *, field="value") -> dict:
    if lo is not None and hi is not None and not (lo <= value <= hi):
        return {field: [_("The value must be on the scale from %(lo)s to %(hi)s.") % {"lo": lo, "hi": hi}]}
    return {}


def period_of(year: int, sub: int, frequency: str) -> Period | None:
    """The reporting period (year, part of the year) of an indicator of this frequency, or None if
    there is no such period: an annual indicator has only whole years (sub 0), the others only
    their parts (halves 1–2, quarters 1–4, months 1–12)."""
    if (sub == 0) != (frequency == "annual"):
        return None
    try:
        return Period.of(year, sub, frequency)
    except ValueError:
        return None


def indicator_period(indicator: "Indicator") -> tuple[int, int] | None:
    """The years an indicator's targets and measurements may fall in: its plan's period, or its
    project's planned years (None when the project has no dates). Reads the plan or project the
    indicator hangs on (load them with it)."""
    if indicator.element is not None:
        plan = indicator.element.plan
        return (plan.period_start, plan.period_end)
    project = indicator.project
    start = project.planned_start or project.actual_start if project else None
    end = project.actual_end or project.planned_end if project else None
    if start and end:
        return (start.year, max(end.year, start.year))
    return None


def check_target(*, year: int, sub: int, frequency: str, period: tuple[int, int] | None) -> dict:
    errors: dict = {}
    if period is not None and not (period[0] <= year <= period[1]):
        _add(
            errors,
            "year",
            _("The target year %(year)s is outside the plan's period %(start)s–%(end)s.")
            % {"year": year, "start": period[0], "end": period[1]},
        )
    if sub and period_of(year, sub, frequency) is None:
        _add(errors, "sub", _("There is no such part of the year for this indicator's frequency."))
    return errors


# The size of Measurement.evidence_url (URLField's default max_length); a test checks the model.
MAX_URL_LENGTH = 200
_WEB_ADDRESS = re.compile(r"^https?://\S+$")


def check_evidence_url(url: str) -> dict:
    """A measurement's evidence link: a web address that fits its column (empty is allowed)."""
    errors: dict = {}
    if url and not _WEB_ADDRESS.match(url):
        _add(
            errors,
            "evidence_url",
            _("The evidence link must be a web address starting with https:// or http://."),
        )
    elif len(url) > MAX_URL_LENGTH:
        _add(
            errors,
            "evidence_url",
            _("The evidence link has %(length)s characters; up to %(limit)s are accepted: shorten it.")
            % {"length": len(url), "limit": MAX_URL_LENGTH},
        )
    return errors


def check_measurement(
    *,
    year: int,
    sub: int,
    frequency: str,
    period: tuple[int, int] | None,
    measure: str,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    scale: tuple[Decimal | None, Decimal | None],
    breakdown: dict,
    dimensions: list[dict],
) -> dict:
    """A measurement's period, value and disaggregation."""
    errors: dict = {}
    if period_of(year, sub, frequency) is None or (
        period is not None and not (period[0] <= year <= period[1])
    ):
        _add(errors, "period", _("There is no such reporting period for this indicator."))
    if measure == "percentage":
        if numerator is None or denominator is None:
            _add(errors, "denominator", _("A percentage needs a numerator and a denominator."))
        elif denominator == 0:
            _add(errors, "denominator", _("The denominator cannot be zero."))
        elif numerator < 0 or denominator < 0:
            _add(errors, "numerator", _("The numerator and denominator cannot be negative."))
    elif value is None:
        _add(errors, "value", _("Enter a value."))
    elif measure == "score":
        errors.update(check_score(value, *scale))
    total = value if measure != "percentage" else numerator
    if breakdown:
        errors.update(check_breakdown(breakdown, dimensions, total))
    return errors


def check_breakdown(breakdown: dict, dimensions: list[dict], total) -> dict:
    """Each dimension's values use its categories and add up to the total."""
    errors: dict = {}
    known = {d["key"]: {c["key"] for c in d.get("categories", [])} for d in dimensions}
    for dim, values in breakdown.items():
        if dim not in known:
            _add(errors, "breakdown", _("Unknown disaggregation “%(dim)s”.") % {"dim": dim})
            continue
        unknown = set(values) - known[dim]
        if unknown:
            _add(
                errors,
                "breakdown",
                _("Unknown categories for “%(dim)s”: %(cats)s.")
                % {"dim": dim, "cats": ", ".join(sorted(unknown))},
            )
            continue
        try:
            parts = sum(Decimal(str(v)) for v in values.values())
        except ArithmeticError:
            _add(errors, "breakdown", _("The values for “%(dim)s” must be numbers.") % {"dim": dim})
            continue
        if total is not None and parts != Decimal(str(total)):
            _add(
                errors,
                "breakdown",
                _("The values for “%(dim)s” add up to %(sum)s, not to the total %(total)s.")
                % {"dim": dim, "sum": parts, "total": total},
            )
    return errors
