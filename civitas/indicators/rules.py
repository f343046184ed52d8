"""Pure rules for indicator passports and measurements (no database). Used by services and imports.

Each ``check_*`` returns a dict {field: [messages]}; empty means valid. ``parse_number`` is the one
reading of a measurement's number, for the form, the file import and the services alike.
``engine_error_message`` says in the user's language why the evaluation engine refused its input.
"""

import datetime
import math
import re
from collections import defaultdict
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from civitas.evaluation.engine import (
    OVERRIDE_STATUSES,
    Accumulation,
    Direction,
    EngineError,
    ErrorCode,
    Frequency,
    Measure,
    Period,
    Quantity,
    Status,
    TargetKind,
    ToleranceUnit,
    breakdown_adds_up,
)
from civitas.plans import rules as plan_rules

if TYPE_CHECKING:  # the models' module is not needed to run the rules
    from .models import Indicator

from .passport import IndicatorPassport
from .presentation import (
    ACCUMULATION_LABELS,
    DIRECTION_LABELS,
    FREQUENCY_LABELS,
    MEASURE_LABELS,
    STATUS_LABELS,
    TARGET_KIND_LABELS,
    TOLERANCE_UNIT_LABELS,
)

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


def check_passport(passport: IndicatorPassport, *, period: tuple[int, int] | None) -> dict:
    """A passport's fields: scale for scores, tolerance for "maintain", baseline, weight."""
    errors: dict = {}
    if passport.measure is Measure.SCORE:
        lo, hi = passport.scale_min, passport.scale_max
        if lo is None or hi is None:
            _add(
                errors, "scale_max", _("A qualitative score needs the lowest and highest value of its scale.")
            )
        elif lo >= hi:
            _add(errors, "scale_max", _("The highest value of the scale must be above the lowest."))
    if passport.direction is Direction.MAINTAIN:
        tolerance = passport.tolerance
        if tolerance is None or tolerance < 0:
            _add(errors, "tolerance", _("An indicator to maintain needs a tolerance band of zero or more."))
    # The tolerance for missing a target, checked as a plan's is (none: the plan's).
    for field, messages in plan_rules.check_tolerance(
        passport.tolerance_amount, passport.tolerance_unit
    ).items():
        for message in messages:
            _add(errors, field, message)
    baseline, year = passport.baseline_value, passport.baseline_year
    if baseline is None:
        if not (passport.baseline_unavailable_reason_bg or "").strip():
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
    weight = passport.weight
    if weight is not None and weight <= 0:
        _add(errors, "weight", _("The weight must be above zero."))
    if passport.measure is Measure.SCORE and baseline is not None and not errors.get("scale_max"):
        errors.update(check_score(baseline, passport.scale_min, passport.scale_max, field="baseline_value"))
    return errors


def check_score(value, lo, hi, *, field="value") -> dict:
    if lo is not None and hi is not None and not (lo <= value <= hi):
        return {field: [_("The value must be on the scale from %(lo)s to %(hi)s.") % {"lo": lo, "hi": hi}]}
    return {}


def period_of(year: int, sub: int, frequency: str, year_start: int = 1) -> Period | None:
    """The reporting period (year, part of the year) of an indicator of this frequency, or None if
    there is no such period: an annual indicator has only whole years (sub 0), the others only
    their parts (halves 1–2, quarters 1–4, months 1–12). ``year_start``: the month the reporting
    year starts in (``year`` 2023 with year_start 4 is 2023/24); a month is stored as the calendar
    month it is, whatever the reporting year."""
    if (sub == 0) != (frequency == Frequency.ANNUAL):
        return None
    if frequency == Frequency.MONTHLY:
        year_start = 1
    try:
        return Period.of(year, sub, frequency, year_start)
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


# The longest public reason of a status override, in each language.
OVERRIDE_REASON_MAX = 2000


def check_override(
    *,
    year: int,
    sub: int,
    frequency: str,
    period: tuple[int, int] | None,
    status: str,
    reason_bg: str,
    reason_en: str = "",
    context: bool = False,
    decided_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> dict:
    """A verifier's status for one period of an indicator: one of the statuses an override sets
    (engine.OVERRIDE_STATUSES), a public reason, a period of the indicator within its plan's
    period, decided no later than ``today``; never for a context indicator (it is not rated)."""
    errors: dict = {}
    if context:
        _add(errors, "__all__", _("A context indicator is not rated, so its status cannot be overridden."))
    if status not in {s.value for s in OVERRIDE_STATUSES}:
        _add(errors, "status", _("Choose on track, at risk or off track."))
    if not reason_bg.strip():
        _add(errors, "reason_bg", _("Give the public reason for the assessment."))
    for field, reason in (("reason_bg", reason_bg), ("reason_en", reason_en)):
        if len(reason) > OVERRIDE_REASON_MAX:
            _add(
                errors, field,
                _("The reason is too long: at most %(max)s characters.") % {"max": OVERRIDE_REASON_MAX},
            )  # fmt: skip
    if period is not None and not (period[0] <= year <= period[1]):
        _add(
            errors,
            "year",
            _("The year %(year)s is outside the plan's period %(start)s–%(end)s.")
            % {"year": year, "start": period[0], "end": period[1]},
        )
    if period_of(year, sub, frequency) is None:
        _add(errors, "sub", _("There is no such part of the year for this indicator's frequency."))
    if decided_on is not None and today is not None and decided_on > today:
        _add(errors, "decided_on", _("The date of the decision cannot be in the future."))
    return errors


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
    accumulation: str | None = None,
) -> dict:
    """A measurement's period, value and disaggregation.

    A percentage is given either with its numerator and denominator or as a rate as reported (a
    value without counts, docs/evaluation-rules.md §16); a cumulative one adds its counts up, so it
    needs them. A breakdown adds up to the total only where the engine says its parts are counts
    (``breakdown_adds_up``): not for rates or scores."""
    errors: dict = {}
    if period_of(year, sub, frequency) is None or (
        period is not None and not (period[0] <= year <= period[1])
    ):
        _add(errors, "period", _("There is no such reporting period for this indicator."))
    with_counts = numerator is not None or denominator is not None
    if measure == Measure.PERCENTAGE:
        if with_counts and value is not None:
            _add(
                errors,
                "value",
                _("Give either the percentage or its numerator and denominator, not both."),
            )
        elif with_counts:
            if numerator is None or denominator is None:
                _add(errors, "denominator", _("A percentage needs a numerator and a denominator."))
            elif denominator == 0:
                _add(errors, "denominator", _("The denominator cannot be zero."))
            elif numerator < 0 or denominator < 0:
                _add(errors, "numerator", _("The numerator and denominator cannot be negative."))
        elif value is None:
            _add(errors, "value", _("Enter the percentage, or its numerator and denominator."))
        elif accumulation == Accumulation.CUMULATIVE:
            _add(
                errors,
                "denominator",
                _("A cumulative percentage adds up its counts: give the numerator and denominator."),
            )
    elif value is None:
        _add(errors, "value", _("Enter a value."))
    elif measure == Measure.SCORE:
        errors.update(check_score(value, *scale))
    total = numerator if measure == Measure.PERCENTAGE and with_counts else value
    if breakdown:
        known = measure in {m.value for m in Measure}
        adds_up = not known or breakdown_adds_up(Measure(measure), with_counts=with_counts)
        errors.update(check_breakdown(breakdown, dimensions, total, adds_up=adds_up))
    return errors


def check_breakdown(breakdown: dict, dimensions: list[dict], total, *, adds_up: bool = True) -> dict:
    """Each dimension's values use its categories and, when ``adds_up`` (counts, not rates or
    scores), add up to the total."""
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
        if adds_up and total is not None and parts != Decimal(str(total)):
            _add(
                errors,
                "breakdown",
                _("The values for “%(dim)s” add up to %(sum)s, not to the total %(total)s.")
                % {"dim": dim, "sum": parts, "total": total},
            )
    return errors


# --------------------------------------------------------------------------------------------
# The evaluation engine's refusals, in the user's language
# --------------------------------------------------------------------------------------------

# The numbers an engine error names (ErrorCode.NOT_A_NUMBER, NOT_FINITE), as a sentence starts.
QUANTITY_LABELS: dict[Quantity, Promise] = {
    Quantity.BASELINE_VALUE: pgettext_lazy("evaluation error", "The baseline value"),
    Quantity.TOLERANCE: pgettext_lazy("evaluation error", "The tolerance band"),
    Quantity.WEIGHT: pgettext_lazy("evaluation error", "The weight"),
    Quantity.SCALE_MIN: pgettext_lazy("evaluation error", "The lowest value of the scale"),
    Quantity.SCALE_MAX: pgettext_lazy("evaluation error", "The highest value of the scale"),
    Quantity.TARGET: pgettext_lazy("evaluation error", "A target value"),
    Quantity.VALUE: pgettext_lazy("evaluation error", "The value"),
    Quantity.NUMERATOR: pgettext_lazy("evaluation error", "The numerator"),
    Quantity.DENOMINATOR: pgettext_lazy("evaluation error", "The denominator"),
    Quantity.ON_TRACK_THRESHOLD: pgettext_lazy("evaluation error", "The on-track threshold"),
    Quantity.AT_RISK_THRESHOLD: pgettext_lazy("evaluation error", "The at-risk threshold"),
    Quantity.ELEMENT_WEIGHT: pgettext_lazy("evaluation error", "The weight of a plan element"),
    Quantity.SPENT: pgettext_lazy("evaluation error", "The amount spent"),
    Quantity.PLANNED: pgettext_lazy("evaluation error", "The planned amount"),
    Quantity.COST: pgettext_lazy("evaluation error", "The cost"),
    Quantity.OUTPUT: pgettext_lazy("evaluation error", "The output"),
}

# One message per code, filled with the error's parameters (see ErrorCode and the engine's
# English messages for what each one names). The subject of an error (``indicator``,
# ``measurement``, ``element``) is a parameter too; the pages show which indicator it is about.
ENGINE_ERROR_MESSAGES: dict[ErrorCode, Promise] = {
    ErrorCode.NOT_A_NUMBER: gettext_lazy("%(quantity)s must be a number, not “%(value)s”."),
    ErrorCode.NOT_FINITE: gettext_lazy("%(quantity)s must be a finite number, not “%(value)s”."),
    ErrorCode.PERIOD_YEAR: gettext_lazy("“%(year)s” is not a year from 1 to 9998."),
    ErrorCode.PERIOD_FREQUENCY: gettext_lazy("“%(value)s” is not a reporting frequency."),
    ErrorCode.PERIOD_INDEX: gettext_lazy(
        "A year has no period %(index)s of this frequency (%(frequency)s): its periods are numbered "
        "1 to %(parts)s."
    ),
    ErrorCode.PERIOD_TEXT: gettext_lazy(
        "“%(text)s” is not a period: write 2020, 2020-H1, 2020-Q3 or 2020-07."
    ),
    ErrorCode.BASELINE_YEAR: gettext_lazy("The baseline year “%(year)s” is not a year."),
    ErrorCode.BASELINE_TYPE: gettext_lazy("The baseline is not a value with its year."),
    ErrorCode.INDICATOR_KEY: gettext_lazy("The indicator has no code."),
    ErrorCode.UNKNOWN_DIRECTION: gettext_lazy("“%(value)s” is not a direction."),
    ErrorCode.UNKNOWN_ACCUMULATION: gettext_lazy("“%(value)s” is not a kind of accumulation."),
    ErrorCode.UNKNOWN_MEASURE: gettext_lazy("“%(value)s” is not a kind of measure."),
    ErrorCode.UNKNOWN_FREQUENCY: gettext_lazy("“%(value)s” is not a reporting frequency."),
    ErrorCode.TOLERANCE_NEGATIVE: gettext_lazy(
        "The tolerance band must not be negative (it is %(tolerance)s)."
    ),
    ErrorCode.WEIGHT_NEGATIVE: gettext_lazy("The weight must not be negative (it is %(weight)s)."),
    ErrorCode.SCALE_MISSING: gettext_lazy(
        "A qualitative score needs the lowest and highest value of its scale."
    ),
    ErrorCode.SCALE_ORDER: gettext_lazy("The highest value of the scale must be above the lowest."),
    ErrorCode.SCORE_NOT_LATEST: gettext_lazy(
        "A qualitative score is a level and is never added up: its accumulation cannot be “%(accumulation)s”."
    ),
    ErrorCode.SCALE_NOT_SCORE: gettext_lazy("Only a qualitative score has a scale: leave the scale empty."),
    ErrorCode.TARGET_PAIR: gettext_lazy("A target is not a period with its value."),
    ErrorCode.TARGET_PERIOD_TYPE: gettext_lazy("The period of a target, “%(period)s”, is not a period."),
    ErrorCode.TARGET_TWICE: gettext_lazy("Two targets are given for the period %(period)s."),
    ErrorCode.TARGETS_SAME_MONTH: gettext_lazy(
        "The targets for %(earlier)s and %(later)s end in the same month: keep one of them."
    ),
    ErrorCode.BASELINE_OUTSIDE_SCALE: gettext_lazy(
        "The baseline value %(value)s is outside the scale from %(scale_min)s to %(scale_max)s."
    ),
    ErrorCode.TARGET_OUTSIDE_SCALE: gettext_lazy(
        "The target value %(value)s for %(period)s is outside the scale from %(scale_min)s to %(scale_max)s."
    ),
    ErrorCode.VALUE_OUTSIDE_SCALE: gettext_lazy(
        "The value %(value)s for %(period)s is outside the scale from %(scale_min)s to %(scale_max)s."
    ),
    ErrorCode.TARGET_NOT_AFTER_BASELINE: gettext_lazy(
        "The target for %(period)s does not come after the baseline year %(baseline_year)s."
    ),
    ErrorCode.TARGET_BELOW_BASELINE: gettext_lazy(
        "The target value %(target)s for %(period)s is below the baseline value %(baseline)s, and the "
        "indicator should increase."
    ),
    ErrorCode.TARGET_ABOVE_BASELINE: gettext_lazy(
        "The target value %(target)s for %(period)s is above the baseline value %(baseline)s, and the "
        "indicator should decrease."
    ),
    ErrorCode.MEASUREMENT_PERIOD_TYPE: gettext_lazy("The period of a value, “%(period)s”, is not a period."),
    ErrorCode.VALUE_AND_RATIO: gettext_lazy(
        "The value for %(measurement)s is given both as a number and as a numerator and denominator: "
        "give one of them."
    ),
    ErrorCode.VALUE_MISSING: gettext_lazy("The value for %(measurement)s is missing."),
    ErrorCode.RATIO_INCOMPLETE: gettext_lazy(
        "The percentage for %(measurement)s needs a numerator and a denominator."
    ),
    ErrorCode.DENOMINATOR_ZERO: gettext_lazy(
        "The denominator for %(measurement)s is zero: a percentage of nothing is undefined."
    ),
    ErrorCode.DENOMINATOR_NEGATIVE: gettext_lazy(
        "The denominator for %(measurement)s must be above zero (it is %(denominator)s)."
    ),
    ErrorCode.NUMERATOR_NEGATIVE: gettext_lazy(
        "The numerator for %(measurement)s must not be negative (it is %(numerator)s)."
    ),
    ErrorCode.COLLECTED_TYPE: gettext_lazy("The date collected for %(measurement)s is not a date."),
    ErrorCode.THRESHOLDS_ORDER: gettext_lazy(
        "The status thresholds must satisfy 0 ≤ at risk ≤ on track ≤ 1 (they are %(at_risk)s and "
        "%(on_track)s)."
    ),
    ErrorCode.GRACE_DAYS: gettext_lazy(
        "The grace period must be a whole number of days, zero or more (it is “%(grace)s”)."
    ),
    ErrorCode.ELEMENT_WEIGHT: gettext_lazy(
        "The weight of a plan element must be above zero (it is %(weight)s)."
    ),
    ErrorCode.PERCENTAGE_NEEDS_RATIO: gettext_lazy(
        "The percentage for %(period)s needs a numerator and a denominator: percentages are added up "
        "as counts, never averaged."
    ),
    ErrorCode.NUMBER_NEEDS_VALUE: gettext_lazy(
        "The value for %(period)s is a number, not a numerator and denominator."
    ),
    ErrorCode.MEASUREMENT_TYPE: gettext_lazy("A value could not be read."),
    ErrorCode.MEASUREMENT_TWICE: gettext_lazy("There are two approved values for %(period)s."),
    ErrorCode.MEASUREMENT_SPANS_PERIODS: gettext_lazy(
        "The value for %(period)s spans more than one of the periods assessed."
    ),
    ErrorCode.SPEC_TYPE: gettext_lazy("The indicator's passport could not be read."),
    ErrorCode.AS_OF_TYPE: gettext_lazy("The evaluation date “%(value)s” is not a date."),
    ErrorCode.PERIODS_ORDER: gettext_lazy(
        "The periods assessed must be in order and must not overlap: %(earlier)s, %(later)s."
    ),
    ErrorCode.NODE_TYPE: gettext_lazy("A plan element could not be read."),
    ErrorCode.ELEMENT_TWICE: gettext_lazy("The plan element “%(key)s” appears twice in the goal tree."),
    ErrorCode.RESULT_TYPE: gettext_lazy("An indicator's evaluation could not be read."),
    ErrorCode.BUDGET_NEGATIVE: gettext_lazy(
        "Budget amounts must not be negative (spent %(spent)s of %(planned)s planned)."
    ),
    ErrorCode.COST_NEGATIVE: gettext_lazy("The cost must not be negative (it is %(cost)s)."),
    ErrorCode.OUTPUT_NEGATIVE: gettext_lazy("The output must not be negative (it is %(output)s)."),
    ErrorCode.PLAN_PERIOD: gettext_lazy(
        "The plan's period must be two years, the first not after the last (it is %(start)s–%(end)s)."
    ),
    ErrorCode.TARGET_OUTSIDE_PLAN: gettext_lazy(
        "The target for %(period)s is outside the plan's period %(start)s–%(end)s."
    ),
    ErrorCode.BASELINE_AFTER_PLAN: gettext_lazy(
        "The baseline year %(year)s is after the plan's period %(start)s–%(end)s."
    ),
    ErrorCode.MEASUREMENT_OUTSIDE_PLAN: gettext_lazy(
        "The value for %(period)s is outside the plan's period %(start)s–%(end)s."
    ),
    ErrorCode.UNKNOWN_TARGET_KIND: gettext_lazy("“%(value)s” is not a kind of target."),
    ErrorCode.UNKNOWN_TOLERANCE_UNIT: gettext_lazy(
        "“%(value)s” is not a unit of tolerance: give it in the indicator's unit or in percent of the target."
    ),
    ErrorCode.TOLERANCE_TYPE: gettext_lazy("The tolerance is not an amount with its unit."),
    ErrorCode.CONTEXT_TARGETS: gettext_lazy("A context indicator has no targets: it is shown, never rated."),
    ErrorCode.OVERRIDE_TYPE: gettext_lazy("A status override could not be read."),
    ErrorCode.OVERRIDE_STATUS: gettext_lazy(
        "A status can be overridden only as on track, at risk or off track (not “%(value)s”)."
    ),
    ErrorCode.OVERRIDE_REASON: gettext_lazy(
        "An override of the status for %(period)s needs a public reason."
    ),
    ErrorCode.OVERRIDE_TWICE: gettext_lazy("There are two status overrides for %(period)s."),
    ErrorCode.OVERRIDE_CONTEXT: gettext_lazy(
        "A context indicator is not rated, so its status cannot be overridden."
    ),
    ErrorCode.PLAN_END_TYPE: gettext_lazy("The plan's end date “%(value)s” is not a date."),
    ErrorCode.REPORTING_DEADLINE: gettext_lazy(
        "The reporting deadline must be a whole number of months, zero or more (it is “%(months)s”)."
    ),
    ErrorCode.YEAR_START: gettext_lazy("A reporting year starts in a month from 1 to 12 (not “%(value)s”)."),
    ErrorCode.PERIOD_TEXT_REPORTING_YEAR: gettext_lazy(
        "“%(text)s” is not a period of a reporting year starting in month %(year_start)s: write 2023/24, "
        "2023/24-H1, 2023/24-Q3 or 2023-07."
    ),
    ErrorCode.MEASUREMENT_SPANS_YEARS: gettext_lazy(
        "The value for %(period)s spans two reporting years: year-to-date values restart each year (in "
        "month %(year_start)s)."
    ),
    ErrorCode.YEAR_TO_DATE_NOT_CUMULATIVE: gettext_lazy(
        "A year-to-date sum accumulates within each reporting year: its accumulation must be cumulative, "
        "not “%(accumulation)s”."
    ),
}

# The names of the engine's vocabularies, when an error names a member of one.
_VOCABULARY_LABELS: dict[type[Enum], dict] = {
    Direction: DIRECTION_LABELS,
    Accumulation: ACCUMULATION_LABELS,
    Measure: MEASURE_LABELS,
    Frequency: FREQUENCY_LABELS,
    Quantity: QUANTITY_LABELS,
    TargetKind: TARGET_KIND_LABELS,
    ToleranceUnit: TOLERANCE_UNIT_LABELS,
    Status: STATUS_LABELS,
}


def _shown(value: object) -> str:
    """A parameter of an engine error as the message shows it."""
    if value is None:
        return "–"
    if isinstance(value, Enum):
        labels = _VOCABULARY_LABELS.get(type(value), {})
        return str(labels.get(value, value.value))
    if isinstance(value, Period):
        return value.label
    if isinstance(value, float):
        return f"{value:.15g}"  # the number as it was entered, not the float's last digits
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def engine_error_message(error: ValueError) -> str:
    """Why the evaluation engine refused its input, in the active language. An EngineError is
    told by its code; any other ValueError (none is expected) by its own text."""
    if not isinstance(error, EngineError):
        return str(error)
    # A parameter a message names but the error does not carry shows as "–", never as an error.
    params: defaultdict[str, str] = defaultdict(lambda: "–")
    params.update((name, _shown(value)) for name, value in error.params.items())
    return str(ENGINE_ERROR_MESSAGES[error.code]) % params


# The same, translated when it is shown, in the language of the page that shows it: for results
# kept across requests (the plan evaluations cached in the process).
engine_error_text = lazy(engine_error_message, str)
